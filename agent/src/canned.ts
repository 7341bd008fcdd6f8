// Canned answers (the help desk's "respuestas predefinidas"): search the
// knowledge base from the reply box, in the ticket's language, and insert the
// chosen article's answer into the reply, where the agent can still edit it.
import type { SearchHit } from '../../core/contracts/api.ts';
import type { AgentApi } from './api.ts';
import { byId, el } from './dom.ts';
import type { Locale } from './i18n/index.ts';

export interface CannedOptions {
  api: () => AgentApi;
  locale: () => Locale;
  /** The open ticket's language: the answer goes to its customer. */
  lang: () => string | undefined;
  /** Called with the chosen article once its answer is in the reply. */
  chosen: (article: { id: string; title: string }) => void;
  failed: (error: unknown) => void;
}

/** Wires the search box and its results; returns a reset for when another ticket opens. */
export function wireCanned(o: CannedOptions): () => void {
  const input = byId('canned-q', HTMLInputElement);
  const list = byId('canned-results');
  const status = byId('canned-status');
  const text = byId('reply-text', HTMLTextAreaElement);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let searches = 0;

  async function run(): Promise<void> {
    const q = input.value.trim();
    const mine = ++searches;
    if (!q) return void (list.replaceChildren(), (status.textContent = ''));
    try {
      const { hits } = await o.api().search(q, o.lang() ?? '');
      if (mine !== searches) return;
      list.replaceChildren(...hits.map(item));
      status.textContent = hits.length ? o.locale().t('cannedCount', { n: hits.length }) : o.locale().t('cannedNone');
    } catch (error) {
      if (mine === searches) o.failed(error);
    }
  }

  function item(hit: SearchHit): HTMLLIElement {
    const b = el('button');
    b.type = 'button';
    b.dataset.article = hit.articleId;
    b.append(el('span', o.locale().t('insert', { title: hit.title })), el('span', hit.snippet, 'snippet'));
    b.addEventListener('click', () => void insert(hit));
    const li = el('li');
    li.append(b);
    return li;
  }

  async function insert(hit: SearchHit): Promise<void> {
    try {
      const article = await o.api().article(hit.articleId);
      const answer = article.answer.trim();
      // At the cursor when the agent has started writing, else the whole reply.
      const start = text.selectionStart ?? text.value.length;
      const end = text.selectionEnd ?? start;
      const before = text.value.slice(0, start);
      const after = text.value.slice(end);
      const sep = before && !before.endsWith('\n') ? '\n\n' : '';
      text.value = `${before}${sep}${answer}${after}`;
      const caret = before.length + sep.length + answer.length;
      text.focus();
      text.setSelectionRange(caret, caret);
      o.chosen({ id: article.id, title: article.title });
      status.textContent = o.locale().t('inserted', { title: article.title });
    } catch (error) {
      o.failed(error);
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), 250);
  });
  input.addEventListener('keydown', (ev) => {
    // Enter searches now instead of sending the reply the box sits in; ArrowDown goes to the results.
    if (ev.key === 'Enter') {
      ev.preventDefault();
      clearTimeout(timer);
      void run();
    } else if (ev.key === 'ArrowDown') {
      const first = list.querySelector('button');
      if (first) (ev.preventDefault(), first.focus());
    }
  });
  list.addEventListener('keydown', (ev) => {
    const buttons = [...list.querySelectorAll('button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0 || (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp')) return;
    ev.preventDefault();
    const next = ev.key === 'ArrowDown' ? buttons[at + 1] : at === 0 ? input : buttons[at - 1];
    next?.focus();
  });
  return () => {
    searches++;
    input.value = '';
    list.replaceChildren();
    status.textContent = '';
  };
}
