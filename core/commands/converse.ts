import type { Audience } from '../articles/types.ts';
import type { Channel, Lang, UserIdentity } from '../contracts/api.ts';
import { chooseLanguage } from '../answers/language/chooseLanguage.ts';
import { isNo, isNoneOfThese, isYes, myTicketsLang, normalise, personLang, wantsPerson } from '../dialog/intents.ts';
import { strings, type DialogStrings } from '../dialog/strings.ts';
import { continueTicket, startTicket, ticketPrompt, type TicketDraft } from '../dialog/ticketFlow.ts';
import type { DialogButton, DialogReply, DialogState } from '../dialog/types.ts';
import type { CoreServices } from '../services.ts';
import { askQuestion } from './askQuestion.ts';
import { conversationStatus } from './conversationStatus.ts';
import { giveFeedback } from './giveFeedback.ts';
import { listMyTickets } from './listMyTickets.ts';
import { openTicket } from './openTicket.ts';
import { openChannelTicket } from './openChannelTicket.ts';
import type { ChannelFollower } from '../tickets/channelFollow.ts';

export interface ConverseInput {
  conversationId: string;
  channel: Channel;
  /** Who writes, as the channel knows them; `verified` when the channel vouches for the id (Teams' AAD user, WhatsApp's number). */
  user: UserIdentity & { verified?: boolean };
  text: string;
  /** An article picked by id from a list we offered (WhatsApp list rows), where the bot's buttons post its title. */
  pickedArticleId?: string;
  /** What the channel kept of this conversation since its last message. */
  state: DialogState;
  /** The client's locale, when the channel has one. */
  locale?: string;
  /** Which articles the person may read; asked only when a question is answered. */
  audiences: () => Promise<Audience[]>;
  /** The e-mail the channel knows for the person, asked only when a ticket is being opened. */
  contactEmail: () => Promise<string | undefined>;
  /** The channel itself carries the agents' replies (WhatsApp): a ticket needs no e-mail address. */
  repliesHere?: boolean;
  /** The person and conversation a chat channel keeps with the tickets it opens (the bot: "my tickets", agents' replies). */
  follower?: ChannelFollower;
}

export interface ConverseResult {
  replies: DialogReply[];
  /** What to keep for the next message. */
  state: DialogState;
}

const MAX_QUESTION = 2000;
const MAX_TICKETS_LISTED = 10;

/**
 * One message of a conversation channel (the Bot Framework bot, WhatsApp):
 * what the person wrote, read against what the last reply asked of them,
 * becomes one of askQuestion, giveFeedback, openTicket or listMyTickets, and
 * its result channel-neutral replies the channel renders. One conversation,
 * so every channel answers, clarifies and hands over the same way.
 */
export async function converse(core: CoreServices, input: ConverseInput): Promise<ConverseResult> {
  const state: DialogState = { ...input.state };
  const turn = new Turn(core, input, state);
  const replies = await turn.run();
  return { replies, state };
}

class Turn {
  constructor(
    private readonly core: CoreServices,
    private readonly input: ConverseInput,
    private readonly state: DialogState,
  ) {}

  async run(): Promise<DialogReply[]> {
    const { input, state } = this;
    const text = input.text.trim();
    const lang = chooseLanguage(
      { conversation: state.lang, requested: input.locale },
      { defaultLang: this.core.defaultLang },
    );
    if (!text && !input.pickedArticleId) return [say(strings(lang).typeSomething)];
    // What was awaited is answered now (or set aside): each reply below says what it awaits next.
    const awaiting = state.awaiting;
    state.awaiting = undefined;
    const picked =
      awaiting?.kind === 'choice'
        ? awaiting.offered.find((o) =>
            input.pickedArticleId ? o.articleId === input.pickedArticleId : normalise(o.title) === normalise(text),
          )
        : undefined;
    // A list row names its article: the question asked is the title offered.
    if (picked && input.pickedArticleId) return this.ask(picked.title, picked.articleId);
    if (!text) return [say(strings(lang).typeSomething)];
    if (awaiting?.kind === 'ticket') return this.ticketStep(awaiting.draft, text, lang);

    const ticketOffered = awaiting?.kind === 'ticketOffer';
    if (wantsPerson(text) || (ticketOffered && isYes(text))) {
      // The word used to ask for a person ("agente") is the latest clue to the conversation's language.
      const articles = this.core.index.get().articles;
      return this.startTicketFlow(
        chooseLanguage(
          { text, conversation: personLang(text) ?? lang, requested: input.locale },
          { articles, defaultLang: this.core.defaultLang },
        ),
      );
    }
    if (awaiting?.kind === 'verdict' && (isYes(text) || isNo(text)))
      return this.feedback(awaiting.articleId, isYes(text));
    if (ticketOffered && isNo(text)) return [say(strings(lang).askAnother)];
    if (isNoneOfThese(text)) return [this.offerTicket(strings(lang).offerTicket, lang)];
    // Only a person the channel vouches for has tickets to list (listMyTickets goes by the verified id).
    const ticketsLang = myTicketsLang(text);
    if (ticketsLang && input.user.verified && input.user.id) return this.myTickets(input.user.id, ticketsLang);
    return this.ask(text, picked?.articleId);
  }

  /** A question, or the pick of an article we offered (its title, with its id). */
  private async ask(text: string, articleId?: string): Promise<DialogReply[]> {
    const { input, state } = this;
    const res = await askQuestion(this.core, {
      question: text.slice(0, MAX_QUESTION),
      articleId,
      conversationId: input.conversationId,
      channel: input.channel,
      user: input.user,
      audiences: await input.audiences(),
      // The channel's language: what this chat has spoken, else the client's locale. The engine's
      // chooseLanguage lets a clear sentence in the other language override it.
      lang: state.lang ?? input.locale,
    });
    state.lang = res.lang;
    const s = strings(res.lang);
    if (res.action === 'answer' && res.answer) {
      state.awaiting = { kind: 'verdict', articleId: res.answer.articleId };
      return [
        {
          kind: 'answer',
          answer: res.answer,
          ...(res.notice === 'other_language' ? { notice: s.otherLanguage } : {}),
          question: s.didItHelp,
          buttons: [button(s, 'solved'), button(s, 'notSolved')],
        },
      ];
    }
    if (res.action === 'clarify' && res.suggestions.length) return [this.choices(s.clarifyPrompt, res.suggestions, s)];
    return [this.offerTicket(s.noAnswer, res.lang)];
  }

  private async feedback(articleId: string, helpful: boolean): Promise<DialogReply[]> {
    const { input } = this;
    const res = await giveFeedback(this.core, {
      conversationId: input.conversationId,
      articleId,
      helpful,
      user: input.user,
      audiences: await input.audiences(),
    });
    const s = strings(res.lang);
    if (res.next === 'resolved') return [say(s.resolved)];
    if (res.next === 'suggestions') return [this.choices(s.moreSuggestions, res.suggestions, s)];
    return [this.offerTicket(s.offerTicket, res.lang)];
  }

  private choices(prompt: string, suggestions: { articleId: string; title: string }[], s: DialogStrings): DialogReply {
    const options = suggestions.map(({ articleId, title }) => ({ articleId, title }));
    this.state.awaiting = { kind: 'choice', offered: options };
    return { kind: 'choices', prompt, options, none: s.noneOfThese, open: s.seeArticles };
  }

  private offerTicket(sentence: string, lang: Lang): DialogReply {
    const s = strings(this.state.lang ?? lang);
    this.state.awaiting = { kind: 'ticketOffer' };
    return { kind: 'text', text: sentence, buttons: [button(s, 'openTicket'), button(s, 'noThanks')] };
  }

  private async startTicketFlow(lang: Lang): Promise<DialogReply[]> {
    const { input, state } = this;
    const { hasQuestion } = await conversationStatus(this.core, { conversationId: input.conversationId });
    const email = input.repliesHere ? undefined : await input.contactEmail();
    const draft = startTicket(
      { name: input.user.name, userId: input.user.id, email, ...(input.repliesHere ? { repliesHere: true } : {}) },
      hasQuestion,
    );
    state.lang = lang;
    state.awaiting = { kind: 'ticket', draft };
    return [ticketPrompt({ kind: 'ask', draft }, strings(lang))];
  }

  private async ticketStep(draft: TicketDraft, text: string, lang: Lang): Promise<DialogReply[]> {
    const { input, state } = this;
    const s = strings(lang);
    const step = continueTicket(draft, text);
    if (step.kind === 'ask') {
      state.awaiting = { kind: 'ticket', draft: step.draft };
      return [ticketPrompt(step, s)];
    }
    if (step.kind === 'cancel') return [say(s.cancelled)];
    const { email, name, userId, description } = step.draft;
    const ticket = {
      conversationId: input.conversationId,
      channel: input.channel,
      // A channel that replies itself keeps the ticket without an address (none was asked for).
      email: email ?? '',
      name,
      userId,
      description,
      lang,
      asker: input.user,
    };
    const created = input.follower
      ? await openChannelTicket(this.core, { ...ticket, follower: input.follower })
      : await openTicket(this.core, ticket);
    return [say(step.draft.repliesHere && !email ? s.ticketCreatedHere(created.id) : s.ticketCreated(created.id))];
  }

  /** The person's own requests, newest first, each with what its status means to them. */
  private async myTickets(verifiedUserId: string, lang: Lang): Promise<DialogReply[]> {
    this.state.lang = lang;
    const s = strings(lang);
    const { tickets } = await listMyTickets(this.core, { verifiedUserId, lang });
    if (!tickets.length) return [say(s.noTickets)];
    const lines = tickets.slice(0, MAX_TICKETS_LISTED).map((t) => `• ${t.id} — ${t.subject}\n   ${t.statusLabel}`);
    return [say([s.myTickets, ...lines].join('\n'))];
  }
}

function say(text: string): DialogReply {
  return { kind: 'text', text, buttons: [] };
}

function button(s: DialogStrings, id: DialogButton['id']): DialogButton {
  return id === 'openTicket' ? { id, label: s.openTicket, short: s.openTicketShort } : { id, label: s[id] };
}
