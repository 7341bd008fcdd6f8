import type { TrustedPolicy } from '../shared/trusted.ts';

/**
 * Rebuilds server-rendered answer HTML from an allow-list. The server already
 * renders Markdown with raw HTML disabled; this is the second wall, so even a
 * compromised or buggy server cannot make the widget run script: parsing
 * happens in an inert document (no scripts run, no images load) and only
 * known-harmless elements and checked link targets are copied out.
 */
const KEEP = new Set(
  'P BR STRONG EM B I U S DEL CODE PRE UL OL LI BLOCKQUOTE HR TABLE THEAD TBODY TR TH TD KBD SUP SUB SPAN'.split(' '),
);
const HEADINGS = new Set(['H1', 'H2', 'H3', 'H4', 'H5', 'H6']);
const DROP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'TITLE', 'HEAD']);

let policy: TrustedPolicy | null = null;

/** Hands over the loader's Trusted Types policy (see shared/trusted.ts); DOMParser needs it under such a CSP. */
export function useTrustedPolicy(p: TrustedPolicy | null): void {
  policy = p;
}

/** A fragment safe to insert, built from untrusted HTML; throws if the page forbids parsing HTML. */
export function safeFragment(html: string, base: string): DocumentFragment {
  const source = disarm(html);
  const parsed = new DOMParser().parseFromString((policy ? policy.createHTML(source) : source) as string, 'text/html');
  const out = document.createDocumentFragment();
  copyChildren(parsed.body, out, base);
  return out;
}

/** An http(s)/mailto/tel URL resolved against `base`, or undefined for anything else (javascript:, data:, …). */
export function safeLink(href: string | null, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href, base + '/');
    return /^(https?|mailto|tel):$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Renames on*= attributes before parsing. Nothing would run anyway (the parsed
 * document is inert and handlers are never copied), but Chrome still reports a
 * CSP violation for them, which would spam the host site's CSP reports.
 */
function disarm(html: string): string {
  return html.replace(/<[a-z][^>]*>/gi, (tag) => tag.replace(/([\s/"'])on(?=[a-z]+\s*=)/gi, '$1data-x-on'));
}

function copyChildren(from: Node, into: Node, base: string): void {
  from.childNodes.forEach((node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      into.appendChild(document.createTextNode(node.nodeValue || ''));
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const el = node as Element;
    // Only HTML-namespace elements: <svg>/<math> content is never copied as markup.
    const tag = el.namespaceURI === 'http://www.w3.org/1999/xhtml' ? el.tagName : '';
    if (DROP.has(tag)) return;
    let copy: HTMLElement | undefined;
    if (tag === 'A') {
      const href = safeLink(el.getAttribute('href'), base);
      copy = document.createElement(href ? 'a' : 'span');
      if (href) {
        copy.setAttribute('href', href);
        copy.setAttribute('target', '_blank');
        copy.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    } else if (HEADINGS.has(tag)) {
      copy = document.createElement('h4');
    } else if (KEEP.has(tag)) {
      copy = document.createElement(tag.toLowerCase());
    }
    // Unknown elements (img, form, svg, …) are unwrapped: their text stays, the element goes.
    copyChildren(el, copy || into, base);
    if (copy) into.appendChild(copy);
  });
}
