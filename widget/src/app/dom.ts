type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | undefined>;

/**
 * Creates an element. Strings become text nodes — the widget never assigns
 * innerHTML, so nothing a user or server sends can become markup here.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

/** Appends children, turning strings into text nodes. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A button with a click handler. */
export function button(label: Child | Child[], onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const el = h('button', { type: 'button', ...attrs }, ...(Array.isArray(label) ? label : [label]));
  el.addEventListener('click', onClick);
  return el;
}

/** Text only screen readers hear. */
export function srOnly(text: string): HTMLSpanElement {
  return h('span', { class: 'd-sr' }, text);
}

let counter = 0;
/** A unique id for aria-* references inside the shadow root. */
export function uid(prefix: string): string {
  counter += 1;
  return `d-${prefix}-${counter}`;
}
