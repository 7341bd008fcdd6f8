import {
  MemoryStorage,
  TestAdapter,
  type Activity,
  type ChannelAccount,
  type HeroCard,
  type Storage,
} from 'botbuilder';
import type { Action } from '../../core/contracts/api.ts';
import type { AnswerEngine, EngineResult } from '../../core/answers/pipeline/answerEngine.ts';
import type { CoreServices } from '../../core/services.ts';
import { createDeflectBot } from '../../bot/createBot.ts';
import type { MemberLookup } from '../../bot/channel.ts';
import { openTestCore, withServices, type TestCore } from '../helpers/core.ts';

export const PUBLIC_URL = 'https://help.example.com';

/** The real core over the fixture KB, in a temporary data directory. */
export function openCore(env: Record<string, string> = {}): Promise<TestCore> {
  return openTestCore({ env: { PUBLIC_URL, ...env } });
}

/** A fixed engine decision: the article ids ranked, best first, with their confidence. */
export type Decision = { action: Action; ranked: [articleId: string, confidence: number][] };

/**
 * The core with some questions' decisions fixed, other questions going to the
 * real engine: bot specifications test what the bot does with an answer, a
 * clarify or a ticket, not how the engine happens to be tuned today.
 */
export function withDecisions(core: CoreServices, decisions: Record<string, Decision>): CoreServices {
  const real = core.engine;
  const engine = {
    get thresholds() {
      return real.thresholds;
    },
    pick: real.pick.bind(real),
    async answer(q: Parameters<AnswerEngine['answer']>[0]): Promise<EngineResult> {
      const d = decisions[q.question];
      if (!d) return real.answer(q);
      const ranked = d.ranked.map(([id, confidence]) => ({
        article: core.index.get().articles.get(id)!,
        confidence,
        score: confidence,
      }));
      const lang = ranked[0]?.article.lang ?? core.defaultLang;
      return {
        action: d.action,
        lang,
        answer: d.action === 'answer' ? ranked[0] : undefined,
        ranked,
        options: d.action === 'clarify' ? ranked : [],
        otherLanguage: false,
      };
    },
  };
  return withServices(core, { engine: engine as unknown as AnswerEngine });
}

export interface ChatOptions {
  channelId?: string;
  conversationId?: string;
  locale?: string;
  from?: ChannelAccount;
  storage?: Storage;
  /** A group chat or Teams channel rather than a one-to-one chat. */
  isGroup?: boolean;
  /** As if requests carried a valid Bot Framework token. */
  authenticated?: boolean;
  internalTenants?: string[];
  /** The Teams member list, as the connector would answer (default: unknown). */
  members?: MemberLookup;
  now?: () => number;
}

let conversations = 0;

/**
 * A conversation with the bot through botbuilder's TestAdapter: `say` sends
 * a message (or any activity) and returns the bot's replies to it.
 */
export function chat(core: CoreServices, options: ChatOptions = {}) {
  const parts = createDeflectBot(core, {
    storage: options.storage ?? new MemoryStorage(),
    publicUrl: PUBLIC_URL,
    authenticated: options.authenticated ?? false,
    internalTenants: options.internalTenants,
    members: options.members ?? (async () => undefined),
    now: options.now,
  });
  const adapter = new TestAdapter((context) => parts.bot.run(context));
  adapter.onTurnError = parts.onTurnError;
  adapter.conversation.channelId = options.channelId ?? 'emulator';
  adapter.conversation.conversation = {
    id: options.conversationId ?? `conversation-${++conversations}`,
    isGroup: !!options.isGroup,
    name: 'test',
    conversationType: options.isGroup ? 'groupChat' : 'personal',
  };
  adapter.conversation.user = options.from ?? { id: 'user-1', name: 'Ana García' };
  const locale = options.locale ?? 'en-US';
  return {
    adapter,
    parts,
    async say(message: string | Partial<Activity>): Promise<Partial<Activity>[]> {
      await adapter.receiveActivity(
        typeof message === 'string' ? { type: 'message', text: message, locale } : { locale, ...message },
      );
      return adapter.activeQueue.splice(0);
    },
    /** The bot joins the conversation, as when it is installed in Teams. */
    added(): Promise<Partial<Activity>[]> {
      return this.say({ type: 'conversationUpdate', membersAdded: [adapter.conversation.bot] });
    },
  };
}

/** Reading replies. */
export const heroOf = (a: Partial<Activity> | undefined) => a?.attachments?.[0]?.content as HeroCard | undefined;
export const cardButtons = (a: Partial<Activity> | undefined) => heroOf(a)?.buttons?.map((b) => String(b.title)) ?? [];
export const quickReplies = (a: Partial<Activity> | undefined) =>
  a?.suggestedActions?.actions.map((b) => String(b.title)) ?? [];
/** What a reply says, whether as text or inside a card. */
export const said = (a: Partial<Activity> | undefined) =>
  [a?.text, heroOf(a)?.title, heroOf(a)?.text].filter(Boolean).join('\n');
