import type { AskResponse, Lang, UserIdentity } from '../../../core/contracts/api.ts';
import { stringsFor } from '../i18n/index.ts';
import type { Strings } from '../i18n/strings.ts';
import type { WidgetConfig, WidgetEvent } from '../shared/types.ts';
import { RequestFailed, type Client } from './client.ts';
import { h } from './dom.ts';
import { firstFocusable } from './focusTrap.ts';
import { renderMessage, type MessageActions } from './messages.ts';
import type { ConversationState, Msg, Retry } from './state.ts';

export interface ConversationDeps {
  config: WidgetConfig;
  strings: Strings;
  client: Client;
  log: HTMLElement;
  state: ConversationState;
  user(): UserIdentity | undefined;
  save(): void;
  emit(event: WidgetEvent, detail?: unknown): void;
  setBusy(busy: boolean): void;
  /** Moves focus to `target`, or to the question box when focus was lost. */
  settleFocus(target?: HTMLElement): void;
  openTicket(): void;
}

/** The conversation flow: ask → answer card → feedback → suggestions → ticket offer. */
export function createConversation(d: ConversationDeps) {
  const { strings } = d;
  const { base, lang } = d.config;
  const els: HTMLElement[] = [];
  const typing = h(
    'div',
    { class: 'd-msg d-bot d-typing' },
    h(
      'p',
      { class: 'd-bubble' },
      h('span', { class: 'd-dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
      h('span', { class: 'd-sr' }, strings.typing),
    ),
  );

  const actions: MessageActions = {
    feedback(i, helpful) {
      const msg = d.state.msgs[i];
      if (msg?.t !== 'card' || msg.fb) return;
      update(i, { fb: helpful ? 'yes' : 'no' });
      void sendFeedback(msg.card.articleId, helpful);
    },
    choose(i, suggestion) {
      update(i, { done: true });
      void ask(String(suggestion.title), true, suggestion.articleId);
    },
    none(i) {
      update(i, { done: true });
      d.settleFocus(offer());
    },
    openTicket(i) {
      update(i, { done: true });
      d.openTicket();
    },
    retry(i) {
      const msg = d.state.msgs[i];
      if (msg?.t !== 'error') return;
      update(i, { done: true });
      const r = msg.retry;
      void (r.op === 'ask' ? ask(r.text, false, r.articleId) : sendFeedback(r.articleId, r.helpful));
    },
  };

  function render(msg: Msg, i: number) {
    return renderMessage(msg, i, base, strings, actions);
  }
  function push(msg: Msg): HTMLElement {
    d.state.msgs.push(msg);
    const el = render(msg, d.state.msgs.length - 1);
    els.push(el);
    d.log.insertBefore(el, typing.isConnected ? typing : null);
    d.save();
    scroll(el);
    d.emit('message', msg);
    return el;
  }
  function update(i: number, patch: Partial<Msg>) {
    const msg = Object.assign(d.state.msgs[i] as Msg, patch);
    const el = render(msg, i);
    els[i]?.replaceWith(el);
    els[i] = el;
    d.save();
  }
  /** Follows the conversation, but shows a long answer from its first line. */
  function scroll(added?: HTMLElement) {
    const tall = added && added.offsetHeight > d.log.clientHeight - 48;
    d.log.scrollTop = tall ? added.offsetTop - 12 : d.log.scrollHeight;
  }
  /** The conversation's language: what the server last answered in (the page's until then). */
  function replyLang(answered?: Lang): Lang {
    if (answered === 'es' || answered === 'en') d.state.lang = answered;
    return d.state.lang ?? lang;
  }
  function offer(): HTMLElement | undefined {
    const l = replyLang();
    return firstFocusable(push({ t: 'offer', text: stringsFor(l).offerTicket, lang: l }));
  }
  async function run<T>(retry: Retry, request: () => Promise<T>, present: (res: T) => HTMLElement | undefined) {
    d.setBusy(true);
    d.log.appendChild(typing);
    scroll();
    let focusTarget: HTMLElement | undefined;
    try {
      focusTarget = present(await request());
    } catch (error) {
      const kind = error instanceof RequestFailed ? error.kind : 'server';
      const busy = error instanceof RequestFailed && error.status === 429;
      const el = push({
        t: 'error',
        text: kind === 'network' ? strings.errorNetwork : busy ? strings.errorBusy : strings.errorServer,
        retry,
      });
      focusTarget = firstFocusable(el);
      d.emit('error', { code: kind, status: error instanceof RequestFailed ? error.status : 0 });
    } finally {
      typing.remove();
      d.setBusy(false);
    }
    d.settleFocus(focusTarget);
  }

  /** Ask a question; `articleId` when the user picked an article from a list. */
  async function ask(text: string, echo = true, articleId?: string) {
    if (echo) push({ t: 'user', text });
    await run(
      { op: 'ask', text, articleId },
      () => d.client.ask({ question: text, articleId, conversationId: d.state.conversationId, lang, user: d.user() }),
      (res) => {
        d.state.conversationId = res.conversationId || d.state.conversationId;
        d.emit('answer', res);
        return present(res);
      },
    );
  }
  function present(res: AskResponse): HTMLElement | undefined {
    const l = replyLang(res.lang);
    const s = stringsFor(l);
    if (res.action === 'answer' && res.answer) {
      push({ t: 'card', card: res.answer, otherLang: res.notice === 'other_language', lang: l });
      return undefined;
    }
    if (res.action === 'clarify' && res.suggestions && res.suggestions.length) {
      push({ t: 'choices', text: s.clarify, items: res.suggestions, none: true, lang: l });
      return undefined;
    }
    push({ t: 'bot', text: s.noAnswer, lang: l });
    d.openTicket();
    return undefined;
  }
  async function sendFeedback(articleId: string, helpful: boolean) {
    const conversationId = d.state.conversationId || '';
    await run(
      { op: 'feedback', articleId, helpful },
      () => d.client.feedback({ conversationId, articleId, helpful, user: d.user() }),
      (res) => {
        d.emit('feedback', { articleId, helpful, next: res.next });
        const l = replyLang(res.lang);
        if (res.next === 'resolved') {
          push({ t: 'bot', text: stringsFor(l).resolved, lang: l });
          return undefined;
        }
        if (res.next === 'suggestions' && res.suggestions && res.suggestions.length) {
          return firstFocusable(
            push({ t: 'choices', text: stringsFor(l).moreSuggestions, items: res.suggestions, none: true, lang: l }),
          );
        }
        return offer();
      },
    );
  }

  return {
    ask,
    push,
    /** Draws the whole log from state (first open, page navigation, restart). */
    renderAll() {
      d.log.textContent = '';
      els.length = 0;
      d.log.appendChild(render({ t: 'bot', text: d.config.greeting || strings.greeting }, -1));
      d.state.msgs.forEach((msg, i) => {
        const el = render(msg, i);
        els.push(el);
        d.log.appendChild(el);
      });
      scroll();
    },
  };
}
