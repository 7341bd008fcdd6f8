import type { Lang, MyTicketResponse } from '../../core/contracts/api.ts';
import { escapeHtml } from './html.ts';

const TEXT = {
  es: {
    title: (id: string) => `Solicitud ${id}`,
    status: 'Estado',
    you: 'Tú',
    support: 'Soporte',
    deflect: 'Deflect',
    thread: 'Conversación',
    empty: 'Todavía no hay mensajes.',
    reply: 'Responder',
    replyLabel: 'Tu mensaje',
    send: 'Enviar',
    closedNote: 'Esta solicitud está cerrada: si escribes, abriremos una nueva enlazada con esta.',
    rate: '¿Qué tal te hemos ayudado?',
    good: 'Bien',
    bad: 'Mal',
    comment: 'Comentario (opcional)',
    sendRating: 'Enviar valoración',
    yourRating: (s: string) => `Tu valoración: ${s}. Puedes cambiarla hasta que se cierre la solicitud.`,
    sent: 'Mensaje enviado.',
    rated: 'Gracias por tu valoración.',
    followUp: 'Abrimos una nueva solicitud con tu mensaje. Guarda este enlace para seguirla.',
    notFound: 'No encontramos esta solicitud. Revisa el enlace que recibiste.',
    expected: 'Te responderemos antes del',
    errors: {
      invalid_request: 'Revisa el formulario: el mensaje está vacío o es demasiado largo.',
      conflict: 'Ahora no se puede: la valoración se da cuando la solicitud está resuelta y hasta que se cierra.',
      other: 'No se pudo hacer. Inténtalo de nuevo en un momento.',
    },
  },
  en: {
    title: (id: string) => `Request ${id}`,
    status: 'Status',
    you: 'You',
    support: 'Support',
    deflect: 'Deflect',
    thread: 'Conversation',
    empty: 'No messages yet.',
    reply: 'Reply',
    replyLabel: 'Your message',
    send: 'Send',
    closedNote: 'This request is closed: if you write, we will open a new one linked to it.',
    rate: 'How did we do?',
    good: 'Good',
    bad: 'Bad',
    comment: 'Comment (optional)',
    sendRating: 'Send rating',
    yourRating: (s: string) => `Your rating: ${s}. You can change it until the request is closed.`,
    sent: 'Message sent.',
    rated: 'Thank you for your rating.',
    followUp: 'We opened a new request with your message. Keep this link to follow it.',
    notFound: 'We could not find this request. Check the link you received.',
    expected: 'We will reply by',
    errors: {
      invalid_request: 'Check the form: the message is empty or too long.',
      conflict: 'Not now: a rating is given once the request is solved, and until it is closed.',
      other: 'That did not work. Try again in a moment.',
    },
  },
} as const;

export type PageNotice = 'sent' | 'rated' | 'follow_up';

/**
 * The customer's follow-up page: the ticket, its public thread, a reply form
 * and, once solved, a rating form. Plain HTML forms that POST, so it works
 * with JavaScript off; every text from the ticket is escaped.
 */
export function followUpPage(
  t: MyTicketResponse,
  opts: { lang: Lang; action: string; notice?: PageNotice; /** An error code (core/errors.ts). */ error?: string },
): string {
  const s = TEXT[opts.lang];
  const who = (from: string, author?: string) =>
    from === 'customer' ? s.you : from === 'agent' ? (author ? `${s.support} · ${author}` : s.support) : s.deflect;
  const notice =
    opts.notice === 'sent' ? s.sent : opts.notice === 'rated' ? s.rated : opts.notice === 'follow_up' ? s.followUp : '';
  const messages = t.messages.length
    ? `<ol class="thread">${t.messages
        .map(
          (m) =>
            `<li class="msg from-${m.from}"><p class="who">${escapeHtml(who(m.from, m.author))} · <time datetime="${escapeHtml(m.at)}">${escapeHtml(when(m.at))}</time></p><p class="text">${escapeHtml(m.text)}</p></li>`,
        )
        .join('')}</ol>`
    : `<p>${s.empty}</p>`;
  const rating =
    t.status === 'solved'
      ? `<section aria-labelledby="rate-h"><h2 id="rate-h">${s.rate}</h2>
${t.rating ? `<p class="rating">${escapeHtml(s.yourRating(t.rating.score === 'good' ? s.good : s.bad))}</p>` : ''}
<form method="post" action="${escapeHtml(opts.action)}/rating">
<fieldset><legend>${s.rate}</legend>
<label><input type="radio" name="score" value="good" required${t.rating?.score === 'good' ? ' checked' : ''}> ${s.good}</label>
<label><input type="radio" name="score" value="bad"${t.rating?.score === 'bad' ? ' checked' : ''}> ${s.bad}</label>
</fieldset>
<label for="comment">${s.comment}</label>
<textarea id="comment" name="comment" maxlength="2000" rows="3">${escapeHtml(t.rating?.comment ?? '')}</textarea>
<button type="submit">${s.sendRating}</button>
</form></section>`
      : '';
  return page(
    opts.lang,
    s.title(t.id),
    `<h1>${escapeHtml(t.subject)}</h1>
<p class="meta">${escapeHtml(s.title(t.id))} · ${s.status}: <strong class="status status-${escapeHtml(t.status)}">${escapeHtml(t.statusLabel)}</strong></p>
${t.expectedReplyAt ? `<p class="expected">${s.expected} <time datetime="${escapeHtml(t.expectedReplyAt)}">${escapeHtml(when(t.expectedReplyAt))}</time></p>` : ''}
${notice ? `<p class="notice" role="status">${notice}</p>` : ''}
${opts.error ? `<p class="error" role="alert">${s.errors[opts.error as keyof typeof s.errors] ?? s.errors.other}</p>` : ''}
<section aria-labelledby="thread-h"><h2 id="thread-h">${s.thread}</h2>
${messages}</section>
${rating}
<section aria-labelledby="reply-h"><h2 id="reply-h">${s.reply}</h2>
${t.status === 'closed' ? `<p>${s.closedNote}</p>` : ''}
<form method="post" action="${escapeHtml(opts.action)}/messages">
<label for="text">${s.replyLabel}</label>
<textarea id="text" name="text" required maxlength="5000" rows="5"></textarea>
<button type="submit">${s.send}</button>
</form></section>`,
  );
}

/** The same answer for a missing ticket and a wrong token. */
export function followUpNotFoundPage(lang: Lang): string {
  return page(lang, TEXT[lang].notFound, `<p>${TEXT[lang].notFound}</p>`);
}

function page(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/followup.css">
</head>
<body>
<main class="followup">
${body}
</main>
</body>
</html>`;
}

/** A readable UTC time the same for every reader: "2026-12-05 21:45 UTC". */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
