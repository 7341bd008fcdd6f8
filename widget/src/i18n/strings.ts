/**
 * Every user-visible string of the widget lives in one file per language
 * (en.ts, es.ts), split in two objects so the small loader carries only its own.
 */
export interface LauncherStrings {
  launcher: string;
  openChat: string;
  closeChat: string;
  loadError: string;
}

/** Strings of the conversation panel (loaded with the app chunk). */
export interface Strings {
  title: string;
  subtitle: string;
  greeting: string;
  close: string;
  restart: string;
  you: string;
  bot: string;
  inputLabel: string;
  placeholder: string;
  send: string;
  suggested: string;
  typing: string;
  readMore: string;
  newTab: string;
  helped: string;
  yes: string;
  no: string;
  resolved: string;
  thanks: string;
  moreSuggestions: string;
  offerTicket: string;
  openTicket: string;
  clarify: string;
  noneOfThese: string;
  noAnswer: string;
  otherLanguage: string;
  talkToPerson: string;
  ticketTitle: string;
  ticketIntro: string;
  email: string;
  name: string;
  description: string;
  optional: string;
  submit: string;
  sending: string;
  back: string;
  emailInvalid: string;
  nameRequired: string;
  ticketCreated: (id: string, email: string) => string;
  ticketFailed: string;
  errorNetwork: string;
  errorServer: string;
  /** The server's rate limit (429): the user is asking too fast, nothing is broken. */
  errorBusy: string;
  retry: string;
  poweredBy: string;
  /** "My requests": the customer's tickets, their threads, replies and ratings. */
  myRequests: string;
  loading: string;
  noRequests: string;
  loadFailed: string;
  allRequests: string;
  refresh: string;
  expectedReply: (when: string) => string;
  fromYou: string;
  fromSupport: string;
  fromDesk: string;
  noMessages: string;
  replyLabel: string;
  reopenNote: string;
  closedNote: string;
  rate: string;
  good: string;
  bad: string;
  ratingComment: string;
  sendRating: string;
  rated: string;
  actionFailed: string;
  followUpOpened: (id: string) => string;
}
