import type { OpenAIEmbeddings } from '@langchain/openai';
import type { Lang } from '../contracts/api.ts';
import type { EmbeddingsConfig } from '../config/search.ts';
import { UnavailableError } from '../errors.ts';
import { log } from '../logger.ts';
import type { Embedder } from './ports.ts';

export interface OpenAiEmbedderOptions extends EmbeddingsConfig {
  provider: 'openai' | 'azure-openai';
  model: string;
  /** First backoff wait; doubles per retry (tests shorten it). */
  retryBaseMs?: number;
}

/** Explicit, so that the OpenAI SDK never falls back to OPENAI_BASE_URL from the environment. */
export const OPENAI_URL = 'https://api.openai.com/v1';

/** Longest text sent, in characters: a runaway section must not fail the whole batch (no token counting, which would need tiktoken's download). */
const MAX_CHARS = 8000;

/**
 * Embeddings from OpenAI, Azure OpenAI, or any server speaking the OpenAI
 * embeddings API (Ollama, vLLM, LM Studio, text-embeddings-inference), by
 * base URL. Batches are sent one after another, each retried with
 * exponential backoff on rate limits, server errors, timeouts and dropped
 * connections; 4xx answers fail at once, since retrying cannot fix them.
 */
export class OpenAiEmbedder implements Embedder {
  readonly id: string;
  private dims: number | undefined;
  /** Made on the first request: @langchain/openai is loaded then, not when a server that never embeds starts. */
  private client: Promise<OpenAIEmbeddings> | undefined;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.dims = options.dimensions;
    const prefixes =
      options.queryPrefix || options.passagePrefix
        ? `:q=${options.queryPrefix ?? ''}:p=${options.passagePrefix ?? ''}`
        : '';
    this.id = `${options.provider}:${options.model}${options.dimensions ? `:d${options.dimensions}` : ''}${prefixes}`;
  }

  /** The vector size: configured, or learnt from the first answer (`init` asks once at start). */
  get dimensions(): number {
    if (this.dims === undefined)
      throw new UnavailableError(
        `the dimensions of embedding model '${this.options.model}' are not known yet: call init() first`,
      );
    return this.dims;
  }

  /** The library's client over our options (loaded here, on first use). */
  private async openClient(): Promise<OpenAIEmbeddings> {
    const langchain = await import('@langchain/openai');
    const options = this.options;
    const common = {
      model: options.model,
      dimensions: options.dimensions,
      // Compatible servers (Ollama, vLLM, TEI) do not all speak base64, the SDK's default.
      encodingFormat: 'float' as const,
      // Our own loop batches and retries; the library sends what it is given, once.
      batchSize: 1_000_000,
      maxRetries: 0,
      maxConcurrency: 1,
      timeout: options.timeoutMs,
      stripNewLines: true,
    };
    return options.provider === 'azure-openai'
      ? new langchain.AzureOpenAIEmbeddings({
          ...common,
          azureOpenAIApiKey: options.apiKey,
          azureOpenAIBasePath: `${options.baseUrl}/openai/deployments`,
          azureOpenAIApiDeploymentName: options.azureDeployment,
          azureOpenAIApiVersion: options.azureApiVersion,
        })
      : new langchain.OpenAIEmbeddings({
          ...common,
          // Always explicit: the library would otherwise read OPENAI_API_KEY itself. Keyless local servers accept any value.
          apiKey: options.apiKey ?? 'no-key',
          configuration: { baseURL: options.baseUrl ?? OPENAI_URL, organization: null },
        });
  }

  /** Learn the model's dimensions with one short request when they are not configured. */
  async init(): Promise<void> {
    if (this.dims === undefined) await this.embed(['dimensions probe'], 'query');
  }

  async embed(texts: string[], kind: 'query' | 'passage', _lang?: Lang): Promise<Float32Array[]> {
    const prefix = kind === 'query' ? this.options.queryPrefix : this.options.passagePrefix;
    const inputs = texts.map((t) => (prefix ? `${prefix.trimEnd()} ${t}` : t).slice(0, MAX_CHARS));
    const client = await (this.client ??= this.openClient());
    const out: Float32Array[] = [];
    for (let start = 0; start < inputs.length; start += this.options.batchSize) {
      const batch = inputs.slice(start, start + this.options.batchSize);
      const vectors = await this.withRetries(() => client.embedDocuments(batch));
      if (vectors.length !== batch.length)
        throw new UnavailableError(`embedding server returned ${vectors.length} vectors for ${batch.length} texts`);
      for (const v of vectors) out.push(this.check(v));
    }
    return out;
  }

  private check(v: unknown): Float32Array {
    if (!Array.isArray(v) || !v.length || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw new UnavailableError(
        `embedding server returned something other than a vector of numbers (is encoding_format 'float' supported?)`,
      );
    }
    if (this.dims === undefined) this.dims = v.length;
    if (v.length !== this.dims)
      throw new UnavailableError(
        `embedding model '${this.options.model}' returned ${v.length} dimensions, expected ${this.dims}`,
      );
    return Float32Array.from(v as number[]);
  }

  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    const base = this.options.retryBaseMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const { retryable, reason } = classify(error);
        if (!retryable || attempt >= this.options.maxRetries) {
          throw new UnavailableError(
            `embedding request to model '${this.options.model}' failed${attempt ? ` after ${attempt + 1} attempts` : ''}: ${reason}`,
            { cause: error },
          );
        }
        const wait = Math.min(base * 2 ** attempt, 8000) * (0.75 + Math.random() * 0.5);
        log.warn('embeddings', 'request failed; retrying', {
          model: this.options.model,
          attempt: attempt + 1,
          reason,
          waitMs: Math.round(wait),
        });
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}

/** Whether a failure may pass on its own (rate limit, server error, timeout, network) and a short reason without secrets. */
export function classify(error: unknown): { retryable: boolean; reason: string } {
  const e = error as { status?: number; name?: string; message?: string; code?: string };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  if (status !== undefined)
    return { retryable: status === 408 || status === 409 || status === 429 || status >= 500, reason: `HTTP ${status}` };
  if (e?.name === 'AbortError') return { retryable: false, reason: 'aborted' };
  if (e?.name === 'TimeoutError' || /timed? ?out/i.test(e?.message ?? ''))
    return { retryable: true, reason: 'timed out' };
  if (/connection|ECONN|socket|fetch failed|terminated/i.test(`${e?.name} ${e?.message} ${e?.code}`))
    return { retryable: true, reason: 'connection failed' };
  return { retryable: false, reason: e?.name && e.name !== 'Error' ? e.name : 'unexpected answer' };
}
