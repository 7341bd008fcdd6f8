import { z } from 'zod';
import { bool, num } from './shared.ts';

/**
 * Production back ends: Meilisearch for full-text search, OpenAI-compatible
 * or local embedding models, and the optional generative fallback. Every
 * setting is off or offline by default: with none of them set, Deflect runs
 * in one process exactly as before.
 */
export const searchEnv = z.object({
  /** Meilisearch URL (e.g. http://127.0.0.1:7700). Unset: the in-process index only. */
  MEILI_HOST: z.url().optional(),
  /** Admin (or master) key, used only to create indexes and push documents; never for queries. */
  MEILI_API_KEY: z.string().optional(),
  /** Search-only key used for queries. Unset: found (or created) through MEILI_API_KEY at start. */
  MEILI_SEARCH_KEY: z.string().optional(),
  /** Index uid; a full rebuild builds `<uid>-next` and swaps it in. */
  MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'letters, digits, - and _ only')
    .default('deflect-articles'),
  /** Longest wait for one search call before the in-process index answers instead. */
  MEILI_TIMEOUT_MS: num(1500, 50, 60_000),
  /** While degraded, how often to check whether Meilisearch is back. */
  MEILI_RETRY_MS: num(5000, 50, 600_000),
  /** Longest wait for one indexing task (waitTask). */
  MEILI_TASK_TIMEOUT_MS: num(120_000, 1000, 3_600_000),
  /** Hybrid search inside Meilisearch with our own vectors (a userProvided embedder). */
  MEILI_HYBRID: bool.default(false),
  /** 0 = keywords only, 1 = vectors only. */
  MEILI_SEMANTIC_RATIO: num(0.5, 0, 1),

  /** Base URL of an OpenAI-compatible server (…/v1); unset = api.openai.com. For Azure: https://RESOURCE.openai.azure.com. */
  EMBEDDINGS_BASE_URL: z.url().optional(),
  /** Model name (Azure: the model behind the deployment, recorded in the index). */
  EMBEDDINGS_MODEL: z.string().min(1).optional(),
  /** API key for the embeddings server; never logged. */
  EMBEDDINGS_API_KEY: z.string().optional(),
  /** Azure OpenAI deployment name (EMBEDDER=azure-openai). */
  EMBEDDINGS_AZURE_DEPLOYMENT: z.string().min(1).optional(),
  /** Azure OpenAI API version (EMBEDDER=azure-openai). */
  EMBEDDINGS_AZURE_API_VERSION: z.string().min(1).default('2024-10-21'),
  /** Ask the model for this many dimensions (text-embedding-3 models); unset = the model's own, learnt at start. */
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(1).max(16_384).optional(),
  /** Texts per request. */
  EMBEDDINGS_BATCH_SIZE: num(64, 1, 2048),
  /** Retries of a failed request (429, 5xx, timeouts, dropped connections), with exponential backoff. */
  EMBEDDINGS_MAX_RETRIES: num(3, 0, 10),
  /** Timeout of one request. */
  EMBEDDINGS_TIMEOUT_MS: num(30_000, 100, 600_000),
  /** Prefixes some models need (e5: "query: " and "passage: "); part of the index's embedder id. */
  EMBEDDINGS_QUERY_PREFIX: z.string().optional(),
  EMBEDDINGS_PASSAGE_PREFIX: z.string().optional(),
  /** Folder of a local ONNX model (EMBEDDER=local), e.g. models/multilingual-e5-small; never downloaded. */
  EMBEDDINGS_LOCAL_DIR: z.string().min(1).optional(),

  /** Generative fallback: compose a short, cited answer from related articles when none passes the threshold. Off by default. */
  GENERATIVE_FALLBACK: bool.default(false),
  /** Lowest confidence for an article to count as related (and be given to the model). */
  GENERATIVE_MIN_CONFIDENCE: num(0.5, 0, 1),
  /** Base URL of the OpenAI-compatible chat server; unset = api.openai.com. */
  LLM_BASE_URL: z.url().optional(),
  /** Chat model name. */
  LLM_MODEL: z.string().min(1).optional(),
  /** API key for the chat server; never logged, never given to the model. */
  LLM_API_KEY: z.string().optional(),
  /** Longest answer, in tokens. */
  LLM_MAX_TOKENS: num(350, 16, 4000),
  /** Timeout of one generation, start to end. */
  LLM_TIMEOUT_MS: num(30_000, 100, 600_000),
});

type Env = z.infer<typeof searchEnv>;

export interface MeiliConfig {
  host: string;
  adminKey?: string;
  searchKey?: string;
  index: string;
  timeoutMs: number;
  retryMs: number;
  taskTimeoutMs: number;
  hybrid: boolean;
  semanticRatio: number;
}

export interface EmbeddingsConfig {
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  azureDeployment?: string;
  azureApiVersion: string;
  dimensions?: number;
  batchSize: number;
  maxRetries: number;
  timeoutMs: number;
  queryPrefix?: string;
  passagePrefix?: string;
  localDir?: string;
}

export interface GenerativeConfig {
  enabled: boolean;
  minConfidence: number;
  baseUrl?: string;
  model: string;
  apiKey?: string;
  maxTokens: number;
  timeoutMs: number;
}

export interface SearchBackendsConfig {
  /** Present when MEILI_HOST is set. */
  meili?: MeiliConfig;
  embeddings: EmbeddingsConfig;
  generative: GenerativeConfig;
}

/** Cross-field rules: what each EMBEDDER and the generative fallback require. */
export function checkSearchEnv(env: Env & { EMBEDDER: string }, ctx: z.RefinementCtx): void {
  const need = (key: keyof Env, why: string) => {
    if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required ${why}` });
  };
  if (env.EMBEDDER === 'openai' || env.EMBEDDER === 'azure-openai')
    need('EMBEDDINGS_MODEL', `when EMBEDDER=${env.EMBEDDER}`);
  if (env.EMBEDDER === 'azure-openai') {
    need('EMBEDDINGS_BASE_URL', 'when EMBEDDER=azure-openai (https://RESOURCE.openai.azure.com)');
    need('EMBEDDINGS_AZURE_DEPLOYMENT', 'when EMBEDDER=azure-openai');
    need('EMBEDDINGS_API_KEY', 'when EMBEDDER=azure-openai');
  }
  if (env.EMBEDDER === 'local') need('EMBEDDINGS_LOCAL_DIR', 'when EMBEDDER=local');
  if (env.GENERATIVE_FALLBACK) need('LLM_MODEL', 'when GENERATIVE_FALLBACK is on');
  if (env.MEILI_API_KEY && env.MEILI_SEARCH_KEY && env.MEILI_API_KEY === env.MEILI_SEARCH_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['MEILI_SEARCH_KEY'],
      message: 'must be a search-only key, not the admin key',
    });
  }
}

export function searchBackendsConfig(env: Env): SearchBackendsConfig {
  return {
    meili: env.MEILI_HOST
      ? {
          host: env.MEILI_HOST.replace(/\/$/, ''),
          adminKey: env.MEILI_API_KEY,
          searchKey: env.MEILI_SEARCH_KEY,
          index: env.MEILI_INDEX,
          timeoutMs: env.MEILI_TIMEOUT_MS,
          retryMs: env.MEILI_RETRY_MS,
          taskTimeoutMs: env.MEILI_TASK_TIMEOUT_MS,
          hybrid: env.MEILI_HYBRID,
          semanticRatio: env.MEILI_SEMANTIC_RATIO,
        }
      : undefined,
    embeddings: {
      baseUrl: env.EMBEDDINGS_BASE_URL?.replace(/\/$/, ''),
      model: env.EMBEDDINGS_MODEL,
      apiKey: env.EMBEDDINGS_API_KEY,
      azureDeployment: env.EMBEDDINGS_AZURE_DEPLOYMENT,
      azureApiVersion: env.EMBEDDINGS_AZURE_API_VERSION,
      dimensions: env.EMBEDDINGS_DIMENSIONS,
      batchSize: env.EMBEDDINGS_BATCH_SIZE,
      maxRetries: env.EMBEDDINGS_MAX_RETRIES,
      timeoutMs: env.EMBEDDINGS_TIMEOUT_MS,
      queryPrefix: env.EMBEDDINGS_QUERY_PREFIX,
      passagePrefix: env.EMBEDDINGS_PASSAGE_PREFIX,
      localDir: env.EMBEDDINGS_LOCAL_DIR,
    },
    generative: {
      enabled: env.GENERATIVE_FALLBACK,
      minConfidence: env.GENERATIVE_MIN_CONFIDENCE,
      baseUrl: env.LLM_BASE_URL?.replace(/\/$/, ''),
      model: env.LLM_MODEL ?? '',
      apiKey: env.LLM_API_KEY,
      maxTokens: env.LLM_MAX_TOKENS,
      timeoutMs: env.LLM_TIMEOUT_MS,
    },
  };
}
