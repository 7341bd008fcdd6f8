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
import { converse } from '../core/commands/converse.ts';
import { strings } from '../core/dialog/strings.ts';
import type { CoreServices } from '../core/services.ts';
import { activityOf, promptReply } from './cards.ts';
import {
  audiencesFor,
  channelOf,
  conversationIdOf,
  identityOf,
  inInternalTenant,
  teamsEmail,
  type MemberLookup,
} from './channel.ts';
import { myTicketsLang } from '../core/dialog/intents.ts';
import { REPLY_ACTION } from './ticketCards.ts';
import { followerOf, replyOnTicket, showMyTickets } from './myTickets.ts';
import { legacyAwaiting, type ConversationData, type UserData } from './state.ts';

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

/**
 * The Bot Framework face of Deflect: each message goes to the conversation
 * every channel shares (core/commands/converse.ts), whose replies become
 * cards and prompts.
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
    const identity = this.identity(a);
    data.userId = identity.id;
    const lang = chooseLanguage(
      { conversation: data.lang, requested: a.locale },
      { defaultLang: this.deps.core.defaultLang },
    );
    // A card's reply box (Action.Submit) posts its fields as the activity's value, with no text.
    const submitted = a.value as { deflect?: unknown; ticketId?: unknown; reply?: unknown } | undefined;
    if (submitted?.deflect === REPLY_ACTION && typeof submitted.ticketId === 'string')
      return replyOnTicket(this.deps, context, submitted.ticketId, String(submitted.reply ?? '').trim(), lang);
    // "my tickets" as cards (the tickets of the person's verified identity and those this chat opened for them);
    // it leaves whatever was awaited (a half-made ticket) as it was.
    const listLang = text ? myTicketsLang(text) : undefined;
    if (listLang) return showMyTickets(this.deps, context, listLang);
    // State saved before `awaiting` existed is read once as the one state.
    const awaiting = data.awaiting ?? legacyAwaiting(data);
    const { replies, state } = await converse(this.deps.core, {
      conversationId: conversationIdOf(a),
      channel: channelOf(a),
      user: identity,
      text,
      state: { lang: data.lang, awaiting },
      locale: a.locale,
      audiences: () => this.audiences(context),
      contactEmail: () => teamsEmail(context, this.deps.members),
      // So the person lists the ticket ("my tickets") and an agent's reply reaches them here.
      follower: followerOf(a, this.deps.authenticated),
    });
    data.awaiting = state.awaiting;
    if (state.lang) await this.rememberLang(context, state.lang);
    data.lang = state.lang;
    const s = strings(
      state.lang ?? chooseLanguage({ requested: a.locale }, { defaultLang: this.deps.core.defaultLang }),
    );
    for (const r of replies) await context.sendActivity(activityOf(r, s, this.deps.publicUrl));
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
