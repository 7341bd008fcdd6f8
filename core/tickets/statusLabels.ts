import type { Lang, TicketStatus } from '../contracts/api.ts';

/** What each status means to the customer, in their words (routes, the follow-up page, later e-mail and the widget). */
const LABELS: Record<Lang, Record<TicketStatus, string>> = {
  es: {
    open: 'Recibida: la estamos revisando',
    pending: 'Esperando tu respuesta',
    on_hold: 'En espera de un tercero',
    solved: 'Resuelta',
    closed: 'Cerrada',
  },
  en: {
    open: "Received: we're looking into it",
    pending: 'Waiting for your reply',
    on_hold: 'On hold: waiting for a third party',
    solved: 'Solved',
    closed: 'Closed',
  },
};

export function statusLabel(status: TicketStatus, lang: Lang): string {
  return LABELS[lang][status];
}
