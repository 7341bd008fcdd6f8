import type { Lang } from '../../contracts/api.ts';

/** Every sentence the engine says to users, in one place per language. */
export const REPLIES = {
  es: {
    clarify: (titles: string[]) => `¿Te refieres a alguno de estos artículos? ${titles.join(' · ')}`,
    noAnswer: 'No encontré un artículo que responda a esto. Puedo abrir una solicitud para que te ayude una persona.',
    otherLanguage: 'Esta respuesta solo está disponible en inglés.',
    resolved: '¡Me alegro de haberte ayudado!',
    suggestions: (titles: string[]) => `Quizá te sirva alguno de estos: ${titles.join(' · ')}`,
    offerTicket: 'Siento no haberlo resuelto. ¿Quieres que abra una solicitud para que te ayude una persona?',
    ticketCreated: (id: string) => `He abierto la solicitud ${id}. Te responderemos por correo.`,
  },
  en: {
    clarify: (titles: string[]) => `Did you mean one of these articles? ${titles.join(' · ')}`,
    noAnswer: "I couldn't find an article that answers this. I can open a ticket so a person can help you.",
    otherLanguage: 'This answer is only available in Spanish.',
    resolved: 'Glad I could help!',
    suggestions: (titles: string[]) => `Maybe one of these helps: ${titles.join(' · ')}`,
    offerTicket: "Sorry that didn't solve it. Shall I open a ticket so a person can help you?",
    ticketCreated: (id: string) => `I've opened ticket ${id}. We'll reply by e-mail.`,
  },
} satisfies Record<Lang, unknown>;

export function replies(lang: Lang) {
  return REPLIES[lang];
}
