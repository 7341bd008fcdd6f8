import type { Lang, MyTicketResponse, TicketScore } from '../../core/contracts/api.ts';
import { escapeHtml } from './html.ts';
import { page } from './followUpPage.ts';

const TEXT = {
  es: {
    title: (id: string) => `Valora la solicitud ${id}`,
    confirm: (score: string) => `Vas a valorar la ayuda recibida como «${score}». Confírmalo para enviarla.`,
    good: 'Bien',
    bad: 'Mal',
    rate: 'Tu valoración',
    comment: 'Comentario (opcional)',
    send: 'Confirmar valoración',
    notSolved: 'Esta solicitud ya no está resuelta, así que ahora no se puede valorar.',
    back: 'Ver la solicitud',
  },
  en: {
    title: (id: string) => `Rate request ${id}`,
    confirm: (score: string) => `You are about to rate the help you got as "${score}". Confirm to send it.`,
    good: 'Good',
    bad: 'Bad',
    rate: 'Your rating',
    comment: 'Comment (optional)',
    send: 'Confirm rating',
    notSolved: 'This request is no longer solved, so it cannot be rated now.',
    back: 'See the request',
  },
} as const;

/**
 * What the satisfaction link in the solved e-mail opens: a confirmation
 * form, never the rating itself. Mail scanners and link previews follow
 * links with GET; only the form's POST (the follow-up page's rating route)
 * records a rating.
 */
export function satisfactionPage(
  t: MyTicketResponse,
  opts: { lang: Lang; /** The follow-up page's path. */ action: string; score: TicketScore },
): string {
  const s = TEXT[opts.lang];
  const label = opts.score === 'good' ? s.good : s.bad;
  const back = `<p><a href="${escapeHtml(opts.action)}">${s.back}</a></p>`;
  if (t.status !== 'solved')
    return page(opts.lang, s.title(t.id), `<h1>${escapeHtml(t.subject)}</h1><p>${s.notSolved}</p>${back}`);
  return page(
    opts.lang,
    s.title(t.id),
    `<h1>${escapeHtml(t.subject)}</h1>
<p>${escapeHtml(s.confirm(label))}</p>
<form method="post" action="${escapeHtml(opts.action)}/rating">
<fieldset><legend>${s.rate}</legend>
<label><input type="radio" name="score" value="good" required${opts.score === 'good' ? ' checked' : ''}> ${s.good}</label>
<label><input type="radio" name="score" value="bad"${opts.score === 'bad' ? ' checked' : ''}> ${s.bad}</label>
</fieldset>
<label for="comment">${s.comment}</label>
<textarea id="comment" name="comment" maxlength="2000" rows="3"></textarea>
<button type="submit">${s.send}</button>
</form>
${back}`,
  );
}
