import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../contracts/api.ts';
import { DeflectError } from '../errors.ts';
import type { Embedder } from './ports.ts';

/** The part of `@huggingface/transformers` we use; a test passes a stand-in with the same shape. */
export interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(task: 'feature-extraction', model: string, options: Record<string, unknown>): Promise<FeatureExtractor>;
}
export type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ data: ArrayLike<number>; dims: number[] }>;

/** The local model cannot be used: folder or package missing. Raised at start, with what to do. */
export class LocalModelError extends DeflectError {
  override name = 'LocalModelError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('local_model_unavailable', message, undefined, options);
  }
}

const PACKAGE = '@huggingface/transformers';
const BATCH = 16;

/**
 * Embeddings from a model folder on disk (e.g. multilingual-e5-small exported
 * to ONNX), run in process by `@huggingface/transformers`. That package is
 * optional and not installed by default (its ONNX runtime is several hundred
 * MB): it is imported only when this embedder is used, and remote models are
 * switched off before the first call, so nothing is ever downloaded.
 */
export class LocalModelEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly modelName: string;
  private readonly root: string;
  private extractor: Promise<FeatureExtractor> | undefined;

  constructor(
    dir: string,
    private readonly options: {
      queryPrefix?: string;
      passagePrefix?: string;
      load?: () => Promise<TransformersModule>;
    } = {},
  ) {
    const folder = path.resolve(dir);
    const configFile = path.join(folder, 'config.json');
    if (!existsSync(configFile))
      throw new LocalModelError(
        `EMBEDDINGS_LOCAL_DIR: ${folder} has no config.json; point it at a model folder exported to ONNX (config.json, tokenizer.json, onnx/model.onnx)`,
      );
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { hidden_size?: number; dim?: number };
    const dims = config.hidden_size ?? config.dim;
    if (!dims) throw new LocalModelError(`${configFile} names no hidden_size: cannot tell the model's vector size`);
    this.dimensions = dims;
    this.root = path.dirname(folder);
    this.modelName = path.basename(folder);
    // e5 models expect these prefixes; others can set them empty.
    const e5 = /e5/i.test(this.modelName);
    this.options = {
      ...options,
      queryPrefix: options.queryPrefix ?? (e5 ? 'query:' : ''),
      passagePrefix: options.passagePrefix ?? (e5 ? 'passage:' : ''),
    };
    this.id = `local:${this.modelName}:d${dims}:q=${this.options.queryPrefix}:p=${this.options.passagePrefix}`;
  }

  /** Load the model now, so a missing package or file fails at start and not on the first question. */
  async init(): Promise<void> {
    await this.pipeline();
  }

  async embed(texts: string[], kind: 'query' | 'passage', _lang?: Lang): Promise<Float32Array[]> {
    const extract = await this.pipeline();
    const prefix = kind === 'query' ? this.options.queryPrefix : this.options.passagePrefix;
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH).map((t) => (prefix ? `${prefix.trimEnd()} ${t}` : t));
      const tensor = await extract(batch, { pooling: 'mean', normalize: true });
      const [n, d] = tensor.dims;
      if (n !== batch.length || d !== this.dimensions)
        throw new LocalModelError(
          `model ${this.modelName} returned ${n}×${d} values for ${batch.length} texts of ${this.dimensions} dimensions`,
        );
      for (let k = 0; k < n; k++)
        out.push(Float32Array.from(Array.prototype.slice.call(tensor.data, k * d, (k + 1) * d) as number[]));
    }
    return out;
  }

  private pipeline(): Promise<FeatureExtractor> {
    this.extractor ??= (async () => {
      const mod = await (this.options.load ?? importTransformers)();
      // Before anything else: never reach for the network, read only this folder.
      mod.env.allowRemoteModels = false;
      mod.env.allowLocalModels = true;
      mod.env.localModelPath = this.root + path.sep;
      try {
        return await mod.pipeline('feature-extraction', this.modelName, { local_files_only: true, dtype: 'fp32' });
      } catch (error) {
        throw new LocalModelError(
          `cannot load the local model ${path.join(this.root, this.modelName)}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    })();
    return this.extractor;
  }
}

async function importTransformers(): Promise<TransformersModule> {
  // A variable specifier: the package is optional, so neither tsc nor a bundler may require it.
  const name = PACKAGE;
  try {
    return (await import(name)) as TransformersModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new LocalModelError(
        `EMBEDDER=local needs the optional package ${PACKAGE}, which is not installed. Install it with ` +
          `\`ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save ${PACKAGE}\` (see docs/backends.md), or choose another EMBEDDER.`,
        { cause: error },
      );
    }
    throw error;
  }
}
