import type { Article } from '../../core/articles/types.ts';
import { EventLog } from '../../core/events/eventLog.ts';
import type { FeedbackEvent, NewEvent, QuestionEvent, TicketEvent } from '../../core/events/types.ts';
import { FactStore } from '../../core/reports/factStore.ts';
import { Reports } from '../../core/reports/reports.ts';
import { DEFAULT_THRESHOLDS } from '../../core/answers/pipeline/decide.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** Builders for hand-made event sequences: each returns a valid event with overrides. */
type Q = Omit<QuestionEvent, 'id'>;
type F = Omit<FeedbackEvent, 'id'>;
type T = Omit<TicketEvent, 'id'>;

export function asked(at: string, overrides: Partial<Q> = {}): NewEvent {
  const action = overrides.action ?? 'answer';
  const articleId = action === 'answer' ? (overrides.articleId ?? 'reset-password-en') : undefined;
  const shown =
    overrides.shown ??
    (action === 'answer'
      ? [{ articleId: articleId!, confidence: 0.98 }]
      : action === 'clarify'
        ? [
            { articleId: 'vpn-setup-en', confidence: 0.8 },
            { articleId: 'vpn-not-connecting-en', confidence: 0.79 },
          ]
        : []);
  return {
    type: 'question',
    at,
    conversationId: 'c-1',
    channel: 'widget',
    lang: 'en',
    question: 'I forgot my password',
    action,
    articleId,
    shown,
    ranked: overrides.ranked ?? [...shown, { articleId: 'account-locked-en', confidence: 0.4 }],
    reply: 'a reply',
    ...overrides,
  } as NewEvent;
}

export function judged(at: string, helpful: boolean, overrides: Partial<F> = {}): NewEvent {
  return {
    type: 'feedback',
    at,
    conversationId: 'c-1',
    channel: 'widget',
    lang: 'en',
    articleId: 'reset-password-en',
    helpful,
    next: helpful ? 'resolved' : 'offer_ticket',
    shown: [],
    reply: 'r',
    ...overrides,
  } as NewEvent;
}

export function ticketed(at: string, reason: T['reason'], overrides: Partial<T> = {}): NewEvent {
  return {
    type: 'ticket',
    at,
    conversationId: 'c-1',
    channel: 'widget',
    lang: 'en',
    ticketId: `T-${Math.random().toString(36).slice(2, 8)}`,
    reason,
    user: { email: 'someone@example.com' },
    ...overrides,
  } as NewEvent;
}

/** A time `days` (and `ms`) after a base ISO time. */
export function plus(base: string, days: number, ms = 0): string {
  return new Date(Date.parse(base) + days * 86_400_000 + ms).toISOString();
}

/** A few articles of the sample KB, enough for tags and categories. */
export function articleMap(): Map<string, Article> {
  const a = (id: string, tags: string[], category: string): Article => ({
    id,
    file: `${id}.md`,
    title: id,
    lang: 'en',
    tags,
    category,
    questions: [],
    answer: 'x',
    status: 'published',
    audience: 'public',
    translations: {},
    body: '',
    headings: [],
    chunks: [],
    links: [],
    hash: '',
  });
  return new Map([
    ['reset-password-en', a('reset-password-en', ['account', 'password'], 'Accounts')],
    ['vpn-setup-en', a('vpn-setup-en', ['vpn', 'network'], 'Network')],
    ['vpn-not-connecting-en', a('vpn-not-connecting-en', ['vpn'], 'Network')],
    ['account-locked-en', a('account-locked-en', ['account'], 'Accounts')],
  ]);
}

export interface LogFixture {
  events: EventLog;
  store: FactStore;
  reports: Reports;
  dataDir: string;
  cleanup(): void;
}

/** An event log in a temp folder holding these events (appended in order), and Reports over it. */
export async function logWith(
  list: NewEvent[],
  opts: { now: string; windowDays?: number; cache?: boolean; clarifyThreshold?: number },
): Promise<LogFixture> {
  const tmp = tempDir('deflect-reports-');
  const events = new EventLog(`${tmp.dir}/events`);
  await events.init();
  for (const e of list) await events.append(e);
  const store = FactStore.forDataDir(events, tmp.dir, { cache: opts.cache ?? false });
  const reports = new Reports({
    store,
    articles: articleMap,
    kbDir: tmp.dir,
    windowDays: opts.windowDays ?? 7,
    clarifyThreshold: opts.clarifyThreshold ?? DEFAULT_THRESHOLDS.clarify,
    now: () => Date.parse(opts.now),
  });
  return { events, store, reports, dataDir: tmp.dir, cleanup: tmp.cleanup };
}
