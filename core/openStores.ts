import path from 'node:path';
import type { Config } from './config/index.ts';
import { loadKnowledgeBase } from './articles/loadKb.ts';
import type { Article } from './articles/types.ts';
import { ConversationStore } from './conversations/conversationStore.ts';
import { EventLog } from './events/eventLog.ts';
import { FactStore } from './reports/factStore.ts';
import { Reports } from './reports/reports.ts';
import type { CoreServices } from './services.ts';
import { KeyValueStore } from './storage/keyValueStore.ts';
import { closeSinks, createSinks } from './tickets/createSinks.ts';
import { DeadLetterFile } from './tickets/deadLetter.ts';
import { TicketStore } from './tickets/ticketStore.ts';
import { thresholdsOf } from './thresholds.ts';

/** What must last, without the index: what createCore serves from, and what the CLI's data commands need. */
export type Stores = Pick<CoreServices, 'events' | 'tickets' | 'conversations' | 'sinks' | 'deadLetters' | 'facts' | 'channelState' | 'defaultLang'> & {
  close(): Promise<void>;
};

type StoresConfig = Pick<Config, 'dataDir' | 'tickets' | 'bot' | 'defaultLang'>;

/**
 * Open a data directory's stores, each once: the event log, the tickets, the
 * webhook sink and its dead letters, the report facts (with their cache), the
 * channels' state (opened on first use). The caller holds the data directory's lock.
 */
export async function openStores(config: StoresConfig): Promise<Stores> {
  const events = new EventLog(path.join(config.dataDir, 'events'));
  await events.init();
  const tickets = await TicketStore.open(config.dataDir);
  const deadLetters = DeadLetterFile.forDataDir(config.dataDir);
  const sinks = createSinks(config, deadLetters);
  const facts = FactStore.forDataDir(events, config.dataDir, { cache: true });
  let state: Promise<KeyValueStore<Record<string, unknown>>> | undefined;
  const channelState = () =>
    (state ??= KeyValueStore.openChannelState(config.dataDir, config.bot.stateTtlDays).catch((error: unknown) => {
      state = undefined; // a failed open is retried on next use rather than remembered
      throw error;
    }));
  const close = async () => {
    await closeSinks(sinks);
    await events.close();
  };
  return { events, tickets, conversations: new ConversationStore(), sinks, deadLetters, facts, channelState, defaultLang: config.defaultLang, close };
}

/** The reports over a data directory's facts, naming the `articles` given (the index's, or the KB folder's), at the configured clarify threshold. */
export function reportsOver(config: Pick<Config, 'kbDir' | 'deflectionWindowDays' | 'answerThreshold' | 'clarifyThreshold'>, facts: FactStore, articles: () => ReadonlyMap<string, Article>): Reports {
  return new Reports({ store: facts, articles, kbDir: config.kbDir, windowDays: config.deflectionWindowDays, clarifyThreshold: thresholdsOf(config).clarify });
}

/**
 * Reports and drafts for a CLI beside a running server: the articles are read
 * from KB_DIR, the events read-only, and no report cache is written (the
 * server owns the data directory).
 */
export async function openReportsReadOnly(config: Config): Promise<Pick<CoreServices, 'reports' | 'drafts'>> {
  const kb = await loadKnowledgeBase(config.kbDir, { defaultLang: config.defaultLang });
  const map = new Map(kb.articles.map((a) => [a.id, a]));
  const articles = () => map;
  const facts = FactStore.forDataDir(new EventLog(path.join(config.dataDir, 'events')), config.dataDir, { cache: false });
  return { reports: reportsOver(config, facts, articles), drafts: { dir: config.reports.draftsDir, kbDir: config.kbDir, articles } };
}
