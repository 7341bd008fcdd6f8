import type { Lang, SearchHit } from '../../../core/contracts/api.ts';
import type { Strings } from '../i18n/strings.ts';
import { icon, icons } from '../shared/dom.ts';
import type { Client } from './client.ts';
import { button, h, uid } from './dom.ts';

const DEBOUNCE_MS = 250;
const MIN_CHARS = 3;

export interface Composer {
  el: HTMLElement;
  input: HTMLInputElement;
  setBusy(busy: boolean): void;
  destroy(): void;
}

/**
 * The question box. While the user types it shows the top matching article
 * titles (debounced search), so many questions end before they are sent.
 */
export function createComposer(opts: {
  strings: Strings;
  lang: Lang;
  client: Client;
  onSend(text: string): void;
}): Composer {
  const { strings } = opts;
  const inputId = uid('q');
  const listId = uid('sugg');
  const input = h('input', {
    id: inputId,
    class: 'd-input',
    type: 'text',
    autocomplete: 'off',
    maxlength: '500',
    placeholder: strings.placeholder,
    'aria-controls': listId,
    enterkeyhint: 'send',
  });
  const send = h(
    'button',
    { type: 'submit', class: 'd-send', 'aria-label': strings.send, title: strings.send },
    icon(icons.send),
  );
  const list = h('ul', { class: 'd-sugg-list', id: listId, 'aria-label': strings.suggested });
  const panel = h(
    'div',
    { class: 'd-sugg', hidden: true },
    h('p', { class: 'd-sugg-title', 'aria-hidden': 'true' }, strings.suggested),
    list,
  );
  const form = h(
    'form',
    { class: 'd-composer', novalidate: true },
    h('label', { class: 'd-sr', for: inputId }, strings.inputLabel),
    input,
    send,
  );
  const el = h('div', { class: 'd-compose-wrap' }, panel, form);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: AbortController | undefined;
  let busy = false;

  const hide = () => {
    panel.hidden = true;
    list.textContent = '';
    inflight?.abort();
    clearTimeout(timer);
  };
  const show = (hits: SearchHit[]) => {
    list.textContent = '';
    for (const hit of hits) {
      const pick = () => {
        hide();
        input.value = '';
        opts.onSend(String(hit.title));
      };
      list.appendChild(h('li', {}, button(String(hit.title), pick, { class: 'd-sugg-item' })));
    }
    panel.hidden = hits.length === 0;
  };
  const search = (q: string) => {
    inflight?.abort();
    const controller = new AbortController();
    inflight = controller;
    opts.client.search(q, opts.lang, controller.signal).then(
      (res) => {
        if (inflight === controller && input.value.trim() === q) show((res.hits || []).slice(0, 5));
      },
      () => {
        /* Suggestions are a shortcut only; the question can still be sent. */
      },
    );
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < MIN_CHARS) return hide();
    timer = setTimeout(() => search(q), DEBOUNCE_MS);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    hide();
    input.value = '';
    opts.onSend(text);
  });
  // Arrow keys move between the box and the suggestions; Escape closes the list first.
  el.addEventListener('keydown', (e) => {
    const items = Array.from(list.querySelectorAll('button'));
    const at = items.indexOf((el.getRootNode() as ShadowRoot).activeElement as HTMLButtonElement);
    if (e.key === 'Escape' && !panel.hidden) {
      e.stopPropagation();
      hide();
      input.focus();
    } else if (e.key === 'ArrowDown' && items.length) {
      e.preventDefault();
      items[Math.min(at + 1, items.length - 1)]?.focus();
    } else if (e.key === 'ArrowUp' && at >= 0) {
      e.preventDefault();
      (at === 0 ? input : items[at - 1])?.focus();
    }
  });

  return {
    el,
    input,
    setBusy(value) {
      busy = value;
      send.disabled = value;
    },
    destroy: hide,
  };
}
