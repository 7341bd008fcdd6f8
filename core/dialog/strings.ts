import type { Lang } from '../contracts/api.ts';
import { replies } from '../answers/pipeline/replies.ts';

/**
 * Everything a conversation channel (the bot, WhatsApp) says, one place per
 * language. Sentences about answers (no answer, resolved, offer a ticket,
 * ticket opened) come from the engine's own replies, so the widget, the
 * channels and the transcripts say the same thing.
 */
const BOT = {
  en: {
    welcome:
      "Hi! I'm the help desk assistant. Ask me a question — for example “How do I reset my password?” — and I'll look for the answer in our knowledge base. Type “agent” at any time to talk to a person, and “my tickets” to follow your requests.",
    openArticle: 'Open article',
    solved: 'Yes, solved',
    notSolved: 'No',
    clarifyPrompt: 'I found a few articles. Which one is closest to your question?',
    moreSuggestions: 'Maybe one of these helps:',
    noneOfThese: 'None of these',
    openTicket: 'Talk to a person',
    noThanks: 'No, thanks',
    askAnother: 'OK. Ask me anything else whenever you like.',
    askDescription:
      'Sure. Please describe the problem in a few words, so the person who picks it up knows where to start.',
    askEmail: (name?: string) => `${name ? `Thanks, ${name}. ` : ''}What e-mail address should we reply to?`,
    badEmail: "That doesn't look like an e-mail address. Please type one like name@example.com, or “cancel” to stop.",
    confirm: (email: string, name?: string) =>
      `I'll open a ticket${name ? ` for ${name}` : ''} (replies to ${email}) with our conversation so far. Shall I go ahead?`,
    confirmYes: 'Open the ticket',
    cancel: 'Cancel',
    cancelled: 'Cancelled: no ticket was opened. Ask me anything else whenever you like.',
    typeSomething: 'Please type your question as text.',
    error: 'Sorry, something went wrong on my side. Please ask again in a moment.',
    didItHelp: 'Did this help?',
    /** A button title that fits WhatsApp's 20 characters. */
    openTicketShort: 'Talk to a person',
    seeArticles: 'See articles',
    confirmHere: (name?: string) =>
      `I'll open a ticket${name ? ` for ${name}` : ''} with our conversation so far, and we'll reply here. Shall I go ahead?`,
    ticketCreatedHere: (id: string) => `I've opened ticket ${id}. We'll reply here.`,
    myTickets: 'Your requests, newest first:',
    moreTickets: (shown: number, total: number) => `Your ${shown} most recent requests of ${total}, newest first:`,
    noTickets: 'You have no requests yet. Type “agent” whenever you want to talk to a person.',
    fromYou: 'You',
    fromSupport: 'Support',
    fromDesk: 'Help desk',
    expectedReply: 'Expected reply by',
    replyAction: 'Reply',
    replyPlaceholder: 'Your reply',
    sendReply: 'Send',
    emptyReply: 'Please type your reply in the box before sending it.',
    replySent: (id: string, status: string) => `Your reply was added to request ${id}. Status: ${status}.`,
    followUpOpened: (id: string) => `That request was closed, so I opened request ${id} with your message.`,
    notYourTicket: "I couldn't find that request among yours.",
    agentReplied: (id: string) => `New reply on your request ${id}`,
  },
  es: {
    welcome:
      '¡Hola! Soy el asistente del centro de ayuda. Hazme una pregunta —por ejemplo «¿Cómo restablezco mi contraseña?»— y buscaré la respuesta en nuestra base de conocimiento. Escribe «agente» cuando quieras para hablar con una persona, y «mis solicitudes» para seguir tus solicitudes.',
    openArticle: 'Abrir artículo',
    solved: 'Sí, resuelto',
    notSolved: 'No',
    clarifyPrompt: 'He encontrado varios artículos. ¿Cuál se parece más a tu pregunta?',
    moreSuggestions: 'Quizá te sirva alguno de estos:',
    noneOfThese: 'Ninguno de estos',
    openTicket: 'Hablar con una persona',
    noThanks: 'No, gracias',
    askAnother: 'De acuerdo. Pregúntame lo que necesites cuando quieras.',
    askDescription:
      'Claro. Describe el problema en pocas palabras, para que la persona que lo atienda sepa por dónde empezar.',
    askEmail: (name?: string) => `${name ? `Gracias, ${name}. ` : ''}¿A qué dirección de correo te respondemos?`,
    badEmail: 'Eso no parece una dirección de correo. Escribe una como nombre@ejemplo.com, o «cancelar» para dejarlo.',
    confirm: (email: string, name?: string) =>
      `Voy a abrir una solicitud${name ? ` a nombre de ${name}` : ''} (respuesta a ${email}) con lo que hemos hablado. ¿Continúo?`,
    confirmYes: 'Abrir la solicitud',
    cancel: 'Cancelar',
    cancelled: 'Cancelado: no se ha abierto ninguna solicitud. Pregúntame lo que necesites cuando quieras.',
    typeSomething: 'Escribe tu pregunta como texto, por favor.',
    error: 'Lo siento, algo ha fallado por mi parte. Vuelve a preguntar dentro de un momento.',
    didItHelp: '¿Te ha servido?',
    /** A button title that fits WhatsApp's 20 characters. */
    openTicketShort: 'Hablar con persona',
    seeArticles: 'Ver artículos',
    confirmHere: (name?: string) =>
      `Voy a abrir una solicitud${name ? ` a nombre de ${name}` : ''} con lo que hemos hablado, y te responderemos por aquí. ¿Continúo?`,
    ticketCreatedHere: (id: string) => `He abierto la solicitud ${id}. Te responderemos por aquí.`,
    myTickets: 'Tus solicitudes, de la más reciente a la más antigua:',
    moreTickets: (shown: number, total: number) =>
      `Tus ${shown} solicitudes más recientes de ${total}, de la más reciente a la más antigua:`,
    noTickets: 'Todavía no tienes solicitudes. Escribe «agente» cuando quieras hablar con una persona.',
    fromYou: 'Tú',
    fromSupport: 'Soporte',
    fromDesk: 'Centro de ayuda',
    expectedReply: 'Respuesta prevista antes de',
    replyAction: 'Responder',
    replyPlaceholder: 'Tu respuesta',
    sendReply: 'Enviar',
    emptyReply: 'Escribe tu respuesta en el cuadro antes de enviarla.',
    replySent: (id: string, status: string) => `Hemos añadido tu respuesta a la solicitud ${id}. Estado: ${status}.`,
    followUpOpened: (id: string) =>
      `Esa solicitud estaba cerrada, así que he abierto la solicitud ${id} con tu mensaje.`,
    notYourTicket: 'No he encontrado esa solicitud entre las tuyas.',
    agentReplied: (id: string) => `Nueva respuesta en tu solicitud ${id}`,
  },
} satisfies Record<Lang, unknown>;

export type DialogStrings = (typeof BOT)[Lang] & ReturnType<typeof replies>;

/** A channel's sentences in a language, with the engine's replies. */
export function strings(lang: Lang): DialogStrings {
  return { ...replies(lang), ...BOT[lang] };
}

/** Button labels in every language: a button sent in one language may be pressed after the user switched. */
export function labels(
  key: 'solved' | 'notSolved' | 'noneOfThese' | 'openTicket' | 'noThanks' | 'confirmYes' | 'cancel',
): string[] {
  return [BOT.en[key], BOT.es[key]];
}
