import type { CreateTicketResponse } from '../../../core/contracts/api.ts';
import type { Strings } from '../i18n/strings.ts';
import { RequestFailed } from './client.ts';
import { button, h, uid } from './dom.ts';
import type { TicketDraft } from './state.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface TicketFormProps {
  strings: Strings;
  draft: TicketDraft;
  onChange(draft: TicketDraft): void;
  submit(draft: TicketDraft): Promise<CreateTicketResponse>;
  onCreated(ticket: CreateTicketResponse, draft: TicketDraft): void;
  onBack(): void;
}

/** "Talk to a person": e-mail, name and an optional description, checked before sending. */
export function renderTicketForm(p: TicketFormProps): { el: HTMLElement; focus(): void } {
  const { strings } = p;
  const email = field(
    'email',
    strings.email,
    h('input', { type: 'email', autocomplete: 'email', required: true, maxlength: '320' }),
    strings,
  );
  const name = field(
    'name',
    strings.name,
    h('input', { type: 'text', autocomplete: 'name', required: true, maxlength: '200' }),
    strings,
  );
  const description = field(
    'desc',
    strings.description,
    h('textarea', { rows: '4', maxlength: '4000' }),
    strings,
    true,
  );
  email.control.value = p.draft.email;
  name.control.value = p.draft.name;
  description.control.value = p.draft.description;

  const alert = h('p', { class: 'd-form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'd-primary' }, strings.submit);
  const form = h(
    'form',
    { class: 'd-ticket-form', novalidate: true },
    h('p', { class: 'd-intro' }, strings.ticketIntro),
    email.el,
    name.el,
    description.el,
    alert,
    h('div', { class: 'd-form-actions' }, submit, button(strings.back, p.onBack, { class: 'd-secondary' })),
  );

  const read = (): TicketDraft => ({
    email: email.control.value.trim(),
    name: name.control.value.trim(),
    description: description.control.value.trim(),
  });
  form.addEventListener('input', () => p.onChange(read()));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const draft = read();
    alert.textContent = '';
    const bad = [
      email.check(EMAIL.test(draft.email) ? '' : strings.emailInvalid),
      name.check(draft.name ? '' : strings.nameRequired),
    ].find(Boolean);
    if (bad) return bad.focus();
    submit.disabled = true;
    submit.textContent = strings.sending;
    p.submit(draft).then(
      (ticket) => p.onCreated(ticket, draft),
      (error: unknown) => {
        submit.disabled = false;
        submit.textContent = strings.submit;
        // The server's e-mail rule is stricter than ours: show its verdict on the field.
        if (error instanceof RequestFailed && error.fields.includes('email'))
          return email.check(strings.emailInvalid)?.focus();
        alert.textContent = strings.ticketFailed;
        submit.focus();
      },
    );
  });

  const first = !p.draft.email ? email.control : !p.draft.name ? name.control : description.control;
  return { el: form, focus: () => first.focus() };
}

function field<T extends HTMLInputElement | HTMLTextAreaElement>(
  key: string,
  label: string,
  control: T,
  strings: Strings,
  optional = false,
) {
  const id = uid(key);
  const errorId = id + '-err';
  control.id = id;
  control.className = 'd-field-input';
  const error = h('p', { class: 'd-field-error', id: errorId, hidden: true });
  const el = h(
    'div',
    { class: 'd-field' },
    h('label', { for: id }, label, optional ? h('span', { class: 'd-optional' }, ' ' + strings.optional) : null),
    control,
    error,
  );
  /** Shows or clears the field's error; returns the control when it is invalid. */
  const check = (message: string): T | undefined => {
    error.textContent = message;
    error.hidden = !message;
    if (message) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', errorId);
    } else {
      control.removeAttribute('aria-invalid');
      control.removeAttribute('aria-describedby');
    }
    return message ? control : undefined;
  };
  return { el, control, check };
}
