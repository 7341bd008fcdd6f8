import type { UserIdentity } from '../../../core/contracts/api.ts';
import { stringsFor } from '../i18n/index.ts';
import { adoptStyles } from '../shared/dom.ts';
import type { AppHandle, MountContext } from '../shared/types.ts';
import { createClient } from './client.ts';
import { createComposer } from './composer.ts';
import { createConversation } from './conversation.ts';
import { trapFocus } from './focusTrap.ts';
import css from './panel.css';
import { renderPanel } from './panel.ts';
import { freshState, loadState, saveState, type TicketDraft } from './state.ts';
import { useTrustedPolicy } from './sanitize.ts';
import { renderTicketForm } from './ticketForm.ts';
import { createMyRequests, hasRequests } from './myRequests.ts';
import { saveTicketKey } from './ticketKeys.ts';

/** Builds the conversation panel inside the loader's shadow root and returns its controls. */
export function mountApp(ctx: MountContext): AppHandle {
  const { config, root } = ctx;
  const strings = stringsFor(config.lang);
  adoptStyles(root, css);
  useTrustedPolicy(ctx.policy);
  const client = createClient(config.base);
  let user: UserIdentity | undefined = ctx.user;
  let state = loadState(config.base);
  let lastPointer = '';
  const save = () => saveState(config.base, state);

  const parts = renderPanel(config, strings, {
    close: () => ctx.onClosed(),
    restart: () => restart(),
    human: () => showTicket(),
    mine: () => showView('mine', true),
  });
  const composer = createComposer({ strings, lang: config.lang, client, onSend: (text) => void convo.ask(text) });
  parts.chatView.appendChild(composer.el);
  ctx.container.appendChild(parts.panel);
  const untrap = trapFocus(parts.panel, () => ctx.onClosed());
  // Touch users should not get the on-screen keyboard popping up after every tap.
  parts.panel.addEventListener('pointerdown', (e) => (lastPointer = e.pointerType));

  const focusInput = () => {
    if (lastPointer !== 'touch' && !parts.chatView.hidden) composer.input.focus();
  };
  const convo = createConversation({
    config,
    strings,
    client,
    log: parts.log,
    get state() {
      return state;
    },
    user: () => user,
    save,
    emit: ctx.emit,
    setBusy: composer.setBusy,
    settleFocus(target) {
      if (parts.panel.hidden) return;
      if (target) target.focus();
      else if (!root.activeElement || !parts.panel.contains(root.activeElement)) focusInput();
    },
    openTicket: () => showTicket(),
  });

  const mine = createMyRequests({
    strings,
    lang: config.lang,
    base: config.base,
    client,
    el: parts.mineView,
    user: () => user,
    onBack: () => showView('chat', true),
  });
  let form: { el: HTMLElement; focus(): void } | undefined;
  function showView(view: 'chat' | 'ticket' | 'mine', focus: boolean) {
    state.view = view;
    save();
    parts.chatView.hidden = view !== 'chat';
    parts.ticketView.hidden = view !== 'ticket';
    parts.mineView.hidden = view !== 'mine';
    parts.human.hidden = view === 'ticket';
    parts.mine.hidden = view === 'mine' || !hasRequests(config.base, user);
    if (view === 'mine') void mine.list(focus);
    form?.el.remove();
    form = undefined;
    if (view === 'ticket') {
      state.draft = state.draft || prefill();
      form = renderTicketForm({
        strings,
        draft: state.draft,
        onChange: (draft) => ((state.draft = draft), save()),
        submit: (draft) =>
          client.createTicket({
            conversationId: state.conversationId,
            email: draft.email,
            name: draft.name,
            subject: subject(),
            description: draft.description || undefined,
            user,
            // The conversation's language, so the ticket's labels and e-mails speak it.
            lang: state.lang ?? config.lang,
          }),
        onCreated: (ticket, draft) => {
          saveTicketKey(config.base, ticket.id, ticket.followUp && ticket.followUp.token);
          state.draft = undefined;
          showView('chat', false);
          convo.push({ t: 'ticket', id: ticket.id, email: draft.email });
          ctx.emit('ticket', { id: ticket.id });
          composer.input.focus();
        },
        onBack: () => showView('chat', true),
      });
      parts.ticketView.appendChild(form.el);
      if (focus) form.focus();
    } else if (focus) focusInput();
  }
  function showTicket() {
    showView('ticket', !parts.panel.hidden);
  }
  function prefill(): TicketDraft {
    const asked = state.msgs.flatMap((m) => (m.t === 'user' ? [m.text] : []));
    return { email: user?.email || '', name: user?.name || '', description: asked.slice(-5).join('\n') };
  }
  function subject(): string | undefined {
    const first = state.msgs.find((m) => m.t === 'user');
    return first && first.t === 'user' ? first.text.slice(0, 120) : undefined;
  }
  function restart() {
    state = freshState(true);
    convo.renderAll();
    showView('chat', true);
    ctx.emit('restart');
  }

  convo.renderAll();
  showView(state.view, false);

  return {
    open(focus) {
      parts.panel.hidden = false;
      state.open = true;
      save();
      if (!focus) return;
      if (form) form.focus();
      else focusInput();
    },
    close() {
      parts.panel.hidden = true;
      state.open = false;
      save();
    },
    ask: (text) => {
      if (state.view !== 'chat') showView('chat', false);
      void convo.ask(text);
    },
    setUser(next) {
      user = next;
      parts.mine.hidden = state.view === 'mine' || !hasRequests(config.base, user);
    },
    destroy() {
      untrap();
      composer.destroy();
      parts.panel.remove();
    },
  };
}
