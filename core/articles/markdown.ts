import MarkdownIt from 'markdown-it';

/**
 * The one Markdown renderer. Raw HTML is off, so article text can never carry
 * a <script> or an onerror attribute; markdown-it's validateLink already drops
 * javascript:, vbscript:, file: and non-image data: URLs.
 */
export const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const defaultLinkOpen =
  markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const href = token.attrGet('href') ?? '';
  // Links leaving the site open in a new tab without handing it our window.
  if (/^https?:\/\//i.test(href)) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer');
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}

/** Markdown to plain text (for snippets, embeddings and channels without HTML). */
export function markdownToText(source: string): string {
  const tokens = markdown.parse(source, {});
  const parts: string[] = [];
  for (const t of tokens) {
    if (t.type === 'inline')
      parts.push(
        t.children
          ?.filter((c) => c.type === 'text' || c.type === 'code_inline')
          .map((c) => c.content)
          .join('') ?? t.content,
      );
    else if (t.type === 'fence' || t.type === 'code_block') parts.push(t.content.trim());
  }
  return parts.filter(Boolean).join('\n');
}
