import type { Suggestion } from '../../../core/contracts/api.ts';
import { stringsFor } from '../i18n/index.ts';
import type { Strings } from '../i18n/strings.ts';
import { icon, icons } from '../shared/dom.ts';
import { renderCard } from './card.ts';
import { button, h, srOnly } from './dom.ts';
import type { Msg } from './state.ts';

/** What the conversation does when a button inside a message is pressed. */
export interface MessageActions {
  feedback(index: number, helpful: boolean): void;
  choose(index: number, suggestion: Suggestion): void;
  none(index: number): void;
  openTicket(index: number): void;
  retry(index: number): void;
}

/** Renders one conversation entry; the same message always renders the same way. */
export function renderMessage(
  msg: Msg,
  index: number,
  base: string,
  pageStrings: Strings,
  act: MessageActions,
): HTMLElement {
  // A reply speaks the language the server answered in; everything else, the page's.
  const strings = 'lang' in msg && msg.lang ? stringsFor(msg.lang) : pageStrings;
  switch (msg.t) {
    case 'user':
      return row('user', strings.you, h('p', { class: 'd-bubble' }, msg.text));
    case 'bot':
      return row('bot', strings.bot, h('p', { class: 'd-bubble' }, msg.text));
    case 'card':
      return row(
        'bot',
        strings.bot,
        renderCard({ ...msg, base, strings, onFeedback: (helpful) => act.feedback(index, helpful) }),
      );
    case 'choices': {
      const items = msg.items.map((s) =>
        h(
          'li',
          {},
          button(String(s.title), () => act.choose(index, s), { class: 'd-choice', disabled: msg.done }),
        ),
      );
      if (msg.none)
        items.push(
          h(
            'li',
            {},
            button(strings.noneOfThese, () => act.none(index), { class: 'd-choice d-choice-none', disabled: msg.done }),
          ),
        );
      return row(
        'bot',
        strings.bot,
        h('div', { class: 'd-bubble' }, h('p', {}, msg.text), h('ul', { class: 'd-choices' }, ...items)),
      );
    }
    case 'offer':
      return row(
        'bot',
        strings.bot,
        h(
          'div',
          { class: 'd-bubble' },
          h('p', {}, msg.text),
          button([icon(icons.person), strings.openTicket], () => act.openTicket(index), {
            class: 'd-action',
            disabled: msg.done,
          }),
        ),
      );
    case 'ticket':
      return row('bot', strings.bot, h('p', { class: 'd-bubble d-success' }, strings.ticketCreated(msg.id, msg.email)));
    case 'error':
      return row(
        'bot',
        strings.bot,
        h(
          'div',
          { class: 'd-bubble d-error' },
          h('p', {}, msg.text),
          msg.done ? null : button([icon(icons.restart), strings.retry], () => act.retry(index), { class: 'd-action' }),
        ),
      );
  }
}

function row(who: 'user' | 'bot', label: string, content: HTMLElement): HTMLElement {
  return h('div', { class: 'd-msg d-' + who }, srOnly(label + ' '), content);
}
