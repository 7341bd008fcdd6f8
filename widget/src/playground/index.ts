/**
 * The playground page (/widget/playground): edits the widget's options, shows
 * the live widget with them and the snippet to paste.
 */
import type { WidgetOptions } from '../shared/types.ts';

const FIELDS = ['lang', 'position', 'color', 'label', 'title', 'greeting', 'logo'] as const;
const DEFAULTS: Record<string, string> = { position: 'right', color: '#1d4ed8' };

function start(): void {
  const form = document.getElementById('pg-form') as HTMLFormElement | null;
  const code = document.getElementById('pg-snippet');
  const copy = document.getElementById('pg-copy');
  const status = document.getElementById('pg-status');
  if (!form || !code || !copy || !status) return;
  const urlInput = form.elements.namedItem('url') as HTMLInputElement;
  if (!urlInput.value) urlInput.value = location.origin;

  const read = () => {
    const values: Record<string, string> = {};
    for (const name of ['url', ...FIELDS]) {
      const value = (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value.trim();
      if (value) values[name] = value;
    }
    return values;
  };
  const apply = () => {
    const values = read();
    const url = (values.url || location.origin).replace(/\/+$/, '');
    code.textContent = snippet(url, values);
    window.Deflect?.init({ ...(values as WidgetOptions), url });
  };
  form.addEventListener('input', debounce(apply, 300));
  form.addEventListener('submit', (e) => e.preventDefault());
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(code.textContent || '').then(
      () => (status.textContent = 'Copied.'),
      () => (status.textContent = 'Select the text and copy it.'),
    );
  });
  apply();
}

/** The <script> tag for these options; defaults are left out. */
export function snippet(url: string, values: Record<string, string>): string {
  const attrs = [`src="${attr(url)}/widget.js"`, `data-deflect-url="${attr(url)}"`];
  for (const name of FIELDS) {
    const value = values[name];
    if (value && value !== DEFAULTS[name]) attrs.push(`data-${name}="${attr(value)}"`);
  }
  return `<script ${attrs.join('\n        ')}\n        async></script>`;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

if (window.Deflect) start();
else document.addEventListener('deflect:ready', start, { once: true });
