import type { Lang, MyTicketResponse } from '../../core/contracts/api.ts';
import { escapeHtml } from './html.ts';
import { page } from './followUpPage.ts';

const TEXT = {
  es: {
    title: (id: string) => `¿Se ha resuelto? (${id})`,
    ask: 'Confirma que la respuesta que te enviamos por correo ha resuelto tu consulta. Cerraremos la solicitud como resuelta.',
    confirm: 'Sí, se ha resuelto',
    thanks: '¡Gracias! Hemos dado tu solicitud por resuelta.',
    already: 'Esta solicitud ya está resuelta.',
    closed: 'Esta solicitud está cerrada.',
    back: 'Ver la solicitud',
  },
  en: {
    title: (id: string) => `Did this solve it? (${id})`,
    ask: 'Confirm that the answer we e-mailed you solved your question. We will mark the request as solved.',
    confirm: 'Yes, it is solved',
    thanks: 'Thank you! We marked your request as solved.',
    already: 'This request is already solved.',
    closed: 'This request is closed.',
    back: 'See the request',
  },
} as const;

/**
 * What the "Yes, it is solved" link of an e-mail answer opens: a form whose
 * button POSTs, never the change itself (mail scanners and link previews
 * follow links with GET). After the POST, `done` thanks the customer.
 */
export function solvedPage(
  t: MyTicketResponse,
  opts: { lang: Lang; action: string; followUp: string; done?: boolean },
): string {
  const s = TEXT[opts.lang];
  const back = `<p><a href="${escapeHtml(opts.followUp)}">${s.back}</a></p>`;
  const head = `<h1>${escapeHtml(t.subject)}</h1>`;
  if (opts.done) return page(opts.lang, s.title(t.id), `${head}<p>${s.thanks}</p>${back}`);
  if (t.status === 'solved' || t.status === 'closed')
    return page(opts.lang, s.title(t.id), `${head}<p>${t.status === 'solved' ? s.already : s.closed}</p>${back}`);
  return page(
    opts.lang,
    s.title(t.id),
    `${head}
<p>${s.ask}</p>
<form method="post" action="${escapeHtml(opts.action)}">
<button type="submit">${s.confirm}</button>
</form>
${back}`,
  );
}
