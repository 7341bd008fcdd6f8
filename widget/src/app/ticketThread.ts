import type { Lang, MyTicketResponse, TicketScore } from '../../../core/contracts/api.ts';
import type { Strings } from '../i18n/strings.ts';
import { h, uid } from './dom.ts';

export interface ThreadActions {
  /** Resolve when done; a rejection shows the form's error and keeps what was typed. */
  reply(text: string): Promise<void>;
  rate(score: TicketScore, comment: string): Promise<void>;
}

/** One request as its customer sees it: status, expected reply, the public thread, the rating once solved, a reply box. */
export function renderThread(t: MyTicketResponse, s: Strings, lang: Lang, act: ThreadActions): HTMLElement[] {
  const who = (from: string, author?: string) =>
    from === 'customer'
      ? s.fromYou
      : from === 'agent'
        ? author
          ? `${s.fromSupport} · ${author}`
          : s.fromSupport
        : s.fromDesk;
  const thread = t.messages.length
    ? h(
        'ol',
        { class: 'd-thread' },
        ...t.messages.map((m) =>
          h(
            'li',
            { class: 'd-tmsg d-from-' + m.from },
            h('p', { class: 'd-who' }, `${who(m.from, m.author)} · ${when(m.at, lang)}`),
            h('p', { class: 'd-ttext' }, m.text),
          ),
        ),
      )
    : h('p', { class: 'd-intro' }, s.noMessages);
  return [
    h('p', { class: 'd-req-meta' }, `${t.id} · `, h('strong', { class: 'd-req-status' }, t.statusLabel)),
    expected(t, s, lang),
    thread,
    t.status === 'solved' ? ratingForm(t, s, act) : null,
    replyForm(t, s, act),
  ].filter((x): x is HTMLElement => !!x);
}

/** "Expected reply by …" while the view carries a due time (issue 18's SLAs fill it). */
export function expected(t: Pick<MyTicketResponse, 'expectedReplyAt'>, s: Strings, lang: Lang): HTMLElement | null {
  return t.expectedReplyAt ? h('p', { class: 'd-expected' }, s.expectedReply(when(t.expectedReplyAt, lang))) : null;
}

function replyForm(t: MyTicketResponse, s: Strings, act: ThreadActions): HTMLElement {
  const id = uid('reply');
  const text = h('textarea', { id, class: 'd-field-input', rows: '3', maxlength: '5000', required: true });
  const note = t.status === 'closed' ? s.closedNote : t.status === 'solved' ? s.reopenNote : '';
  return form(
    'd-reply',
    [h('label', { for: id }, s.replyLabel), note ? h('p', { class: 'd-intro' }, note) : null, text],
    s.send,
    s,
    () => (text.value.trim() ? act.reply(text.value.trim()) : (text.focus(), undefined)),
  );
}

function ratingForm(t: MyTicketResponse, s: Strings, act: ThreadActions): HTMLElement {
  const name = uid('score');
  const id = uid('comment');
  const radio = (score: TicketScore, label: string) =>
    h(
      'label',
      { class: 'd-radio' },
      h('input', { type: 'radio', name, value: score, checked: t.rating?.score === score }),
      ' ' + label,
    );
  const comment = h('textarea', { id, class: 'd-field-input', rows: '2', maxlength: '2000' });
  comment.value = t.rating?.comment ?? '';
  const fields = h(
    'fieldset',
    { class: 'd-rate' },
    h('legend', {}, s.rate),
    radio('good', s.good),
    radio('bad', s.bad),
  );
  return form('d-rating', [fields, h('label', { for: id }, s.ratingComment), comment], s.sendRating, s, () => {
    const picked = fields.querySelector<HTMLInputElement>('input:checked');
    if (!picked) return fields.querySelector('input')?.focus();
    return act.rate(picked.value as TicketScore, comment.value.trim());
  });
}

/** A form whose submit runs `run`; while it runs the button is disabled, and a failure is said in the form. */
function form(
  cls: string,
  children: (HTMLElement | null)[],
  label: string,
  s: Strings,
  run: () => Promise<void> | void,
): HTMLElement {
  const submit = h('button', { type: 'submit', class: 'd-primary' }, label);
  const alert = h('p', { class: 'd-form-error', role: 'alert' });
  const el = h('form', { class: 'd-tform ' + cls, novalidate: true }, ...children, alert, submit);
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    alert.textContent = '';
    const pending = run();
    if (!pending) return;
    submit.disabled = true;
    pending.catch(() => {
      alert.textContent = s.actionFailed;
      submit.disabled = false;
    });
  });
  return el;
}

/** A time in the reader's language and time zone. */
function when(iso: string, lang: Lang): string {
  const date = new Date(iso);
  return isNaN(date.getTime()) ? iso : date.toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
}
