import {
  ActivityHandler,
  TurnContext,
  type PrivateConversationState,
  type StatePropertyAccessor,
  type UserState,
} from 'botbuilder';
import type { Audience } from '../core/articles/types.ts';
import type { Lang } from '../core/contracts/api.ts';
import { chooseLanguage } from '../core/answers/language/chooseLanguage.ts';
import { askQuestion } from '../core/commands/askQuestion.ts';
import { conversationStatus } from '../core/commands/conversationStatus.ts';
import { giveFeedback } from '../core/commands/giveFeedback.ts';
import { openChannelTicket } from '../core/commands/openChannelTicket.ts';
import type { CoreServices } from '../core/services.ts';
import { answerReply, choicesReply, promptReply } from './cards.ts';
import {
  audiencesFor,
  channelOf,
  conversationIdOf,
  identityOf,
  inInternalTenant,
  teamsEmail,
  type MemberLookup,
} from './channel.ts';
import { isNo, isNoneOfThese, isYes, myTicketsLang, normalise, personLang, wantsPerson } from './intents.ts';
import { REPLY_ACTION } from './ticketCards.ts';
import { followerOf, replyOnTicket, showMyTickets } from './myTickets.ts';
import { strings } from './strings.ts';
import { legacyAwaiting, type Awaiting, type ConversationData, type UserData } from './state.ts';
import { continueTicket, startTicket, ticketPrompt, type TicketDraft } from './ticketFlow.ts';

export interface BotDeps {
  core: CoreServices;
  /** Per person and conversation, so people in a group chat each have their own flow. */
  conversationState: PrivateConversationState;
  userState: UserState;
  /** Base of the "Open article" links. */
  publicUrl: string;
  /** Requests carry a valid Bot Framework token (MICROSOFT_APP_ID set). */
  authenticated: boolean;
  /** Tenants whose Teams members also see internal articles (BOT_INTERNAL_TENANTS). */
  internalTenants: readonly string[];
  /** The Teams member list's entry for the user (e-mail, member or guest). */
  members: MemberLookup;
  /** Milliseconds since the epoch (tests move it). */
  now: () => number;
}

/** A member's role is looked up again after a day: a member made a guest loses internal articles by then, however active. */
const ROLE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const MAX_QUESTION = 2000;

/**
 * The Bot Framework face of Deflect: each message becomes one command
 * (askQuestion, giveFeedback, openTicket) and its result a card or a prompt.
 * What the bot must remember between turns lives in botbuilder's state:
 * above all what it is `awaiting` from the user (bot/state.ts).
 */
export class DeflectBot extends ActivityHandler {
  private readonly conversationData: StatePropertyAccessor<ConversationData>;
  private readonly userData: StatePropertyAccessor<UserData>;

  constructor(private readonly deps: BotDeps) {
    super();
    this.conversationData = deps.conversationState.createProperty<ConversationData>('deflect');
    this.userData = deps.userState.createProperty<UserData>('deflect');
    this.onMembersAdded(async (context, next) => {
      await this.welcome(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
  }

  /** Run the turn, then save state: only a turn that completed changes it (onTurnError clears it otherwise). */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context);
    await this.deps.userState.saveChanges(context);
  }

  /** Greet once per conversation: when the bot is added, or a user opens a one-to-one chat (Emulator). */
  private async welcome(context: TurnContext): Promise<void> {
    const a = context.activity;
    const added = a.membersAdded ?? [];
    const botAdded = added.some((m) => m.id === a.recipient?.id);
    const userInDirectChat = !a.conversation.isGroup && added.some((m) => m.id !== a.recipient?.id);
    if (!botAdded && !userInDirectChat) return;
    const data = await this.conversationData.get(context, {});
    if (data.welcomed) return;
    const user = await this.userData.get(context, {});
    // What the person last spoke to us beats the client's locale (Teams sends en-US to many Spanish speakers).
    data.lang = chooseLanguage(
      { conversation: data.lang ?? user.lang, requested: a.locale },
      { defaultLang: this.deps.core.defaultLang },
    );
    data.welcomed = true;
    await context.sendActivity(promptReply(strings(data.lang).welcome));
  }

  private async message(context: TurnContext): Promise<void> {
    const a = context.activity;
    const text = (a.text ? (TurnContext.removeRecipientMention(a) ?? a.text) : '').trim();
    const data = await this.conversationData.get(context, {});
    data.userId = this.identity(a).id;
    const lang = chooseLanguage(
      { conversation: data.lang, requested: a.locale },
      { defaultLang: this.deps.core.defaultLang },
    );
    // A card's reply box (Action.Submit) posts its fields as the activity's value, with no text.
    const submitted = a.value as { deflect?: unknown; ticketId?: unknown; reply?: unknown } | undefined;
    if (submitted?.deflect === REPLY_ACTION && typeof submitted.ticketId === 'string')
      return replyOnTicket(this.deps, context, submitted.ticketId, String(submitted.reply ?? '').trim(), lang);
    // "my tickets" leaves whatever was awaited (a half-made ticket) as it was.
    const listLang = text ? myTicketsLang(text) : undefined;
    if (listLang) return showMyTickets(this.deps, context, listLang);
    if (!text) {
      await context.sendActivity(promptReply(strings(lang).typeSomething));
      return;
    }
    // What was awaited is answered now (or set aside): each reply below says what it awaits next.
    const awaiting: Awaiting | undefined = data.awaiting ?? legacyAwaiting(data);
    data.awaiting = undefined;
    if (awaiting?.kind === 'ticket') return this.ticketStep(context, data, awaiting.draft, text, lang);

    const ticketOffered = awaiting?.kind === 'ticketOffer';
    if (wantsPerson(text) || (ticketOffered && isYes(text))) {
      // The word used to ask for a person ("agente") is the latest clue to the conversation's language.
      const articles = this.deps.core.index.get().articles;
      return this.startTicketFlow(
        context,
        data,
        chooseLanguage(
          { text, conversation: personLang(text) ?? lang, requested: a.locale },
          { articles, defaultLang: this.deps.core.defaultLang },
        ),
      );
    }
    if (awaiting?.kind === 'verdict' && (isYes(text) || isNo(text)))
      return this.feedback(context, data, awaiting.articleId, isYes(text));
    if (ticketOffered && isNo(text)) {
      await context.sendActivity(promptReply(strings(lang).askAnother));
      return;
    }
    if (isNoneOfThese(text)) return this.offerTicket(context, data, strings(lang).offerTicket);
    const picked =
      awaiting?.kind === 'choice' ? awaiting.offered.find((o) => normalise(o.title) === normalise(text)) : undefined;
    return this.ask(context, data, text, picked?.articleId);
  }

  /** A question, or the pick of an article we offered (its title, with its id). */
  private async ask(context: TurnContext, data: ConversationData, text: string, articleId?: string): Promise<void> {
    const a = context.activity;
    const res = await askQuestion(this.deps.core, {
      question: text.slice(0, MAX_QUESTION),
      articleId,
      conversationId: conversationIdOf(a),
      channel: channelOf(a),
      user: this.identity(a),
      audiences: await this.audiences(context),
      // The channel's language: what this chat has spoken, else the client's locale (Teams sends en-US to many
      // Spanish speakers). The engine's chooseLanguage lets a clear sentence in the other language override it.
      lang: data.lang ?? a.locale,
    });
    data.lang = res.lang;
    await this.rememberLang(context, res.lang);
    const s = strings(res.lang);
    if (res.action === 'answer' && res.answer) {
      data.awaiting = { kind: 'verdict', articleId: res.answer.articleId };
      await context.sendActivity(answerReply(res.answer, s, this.deps.publicUrl, res.notice === 'other_language'));
    } else if (res.action === 'clarify' && res.suggestions.length) {
      data.awaiting = {
        kind: 'choice',
        offered: res.suggestions.map(({ articleId, title }) => ({ articleId, title })),
      };
      await context.sendActivity(choicesReply(s.clarifyPrompt, res.suggestions, s));
    } else {
      await this.offerTicket(context, data, s.noAnswer);
    }
  }

  private async feedback(
    context: TurnContext,
    data: ConversationData,
    articleId: string,
    helpful: boolean,
  ): Promise<void> {
    const res = await giveFeedback(this.deps.core, {
      conversationId: conversationIdOf(context.activity),
      articleId,
      helpful,
      user: this.identity(context.activity),
      audiences: await this.audiences(context),
    });
    const s = strings(res.lang);
    if (res.next === 'resolved') {
      await context.sendActivity(promptReply(s.resolved));
    } else if (res.next === 'suggestions') {
      data.awaiting = {
        kind: 'choice',
        offered: res.suggestions.map(({ articleId, title }) => ({ articleId, title })),
      };
      await context.sendActivity(choicesReply(s.moreSuggestions, res.suggestions, s));
    } else {
      await this.offerTicket(context, data, s.offerTicket);
    }
  }

  private async offerTicket(context: TurnContext, data: ConversationData, sentence: string): Promise<void> {
    const s = strings(data.lang ?? this.deps.core.defaultLang);
    data.awaiting = { kind: 'ticketOffer' };
    await context.sendActivity(promptReply(sentence, [s.openTicket, s.noThanks]));
  }

  private async startTicketFlow(context: TurnContext, data: ConversationData, lang: Lang): Promise<void> {
    const identity = this.identity(context.activity);
    const email = await teamsEmail(context, this.deps.members);
    const { hasQuestion } = await conversationStatus(this.deps.core, {
      conversationId: conversationIdOf(context.activity),
    });
    const draft = startTicket({ name: identity.name, userId: identity.id, email }, hasQuestion);
    data.lang = lang;
    data.awaiting = { kind: 'ticket', draft };
    await context.sendActivity(ticketPrompt({ kind: 'ask', draft }, strings(lang)));
  }

  private async ticketStep(
    context: TurnContext,
    data: ConversationData,
    draft: TicketDraft,
    text: string,
    lang: Lang,
  ): Promise<void> {
    const s = strings(lang);
    const step = continueTicket(draft, text);
    if (step.kind === 'ask') {
      data.awaiting = { kind: 'ticket', draft: step.draft };
      await context.sendActivity(ticketPrompt(step, s));
      return;
    }
    if (step.kind === 'cancel') {
      await context.sendActivity(promptReply(s.cancelled));
      return;
    }
    const { email, name, userId, description } = step.draft;
    const a = context.activity;
    const created = await openChannelTicket(this.deps.core, {
      conversationId: conversationIdOf(a),
      channel: channelOf(a),
      email: email!,
      name,
      userId,
      description,
      lang,
      asker: this.identity(a),
      // So the person lists it ("my tickets") and an agent's reply reaches them here.
      follower: followerOf(context.activity, this.deps.authenticated),
    });
    await context.sendActivity(promptReply(s.ticketCreated(created.id)));
  }

  private identity(activity: TurnContext['activity']) {
    return identityOf(activity, this.deps.authenticated);
  }

  /**
   * Internal articles too for a member of the organisation's tenant. The role is remembered with the
   * user for a day; a lookup that fails leaves it unknown (public articles) and is tried again next time.
   */
  private async audiences(context: TurnContext): Promise<Audience[]> {
    if (!inInternalTenant(context.activity, this.deps.authenticated, this.deps.internalTenants)) return ['public'];
    const user = await this.userData.get(context, {});
    const now = this.deps.now();
    if (!user.teamsRole || now - (user.teamsRoleAt ?? 0) > ROLE_MAX_AGE_MS) {
      user.teamsRole = (await this.deps.members(context))?.userRole;
      user.teamsRoleAt = user.teamsRole ? now : undefined;
    }
    return audiencesFor(user.teamsRole);
  }

  private async rememberLang(context: TurnContext, lang: Lang): Promise<void> {
    const user = await this.userData.get(context, {});
    user.lang = lang;
    user.userId = this.identity(context.activity).id;
  }
}
