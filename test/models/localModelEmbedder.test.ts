import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect } from 'chai';
import { LocalModelEmbedder, LocalModelError, type TransformersModule } from '../../core/search/localModelEmbedder.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** A stand-in for @huggingface/transformers that records how it was set up and called. */
function standIn(dims: number) {
  const seen = {
    envAtLoad: null as null | Record<string, unknown>,
    model: '',
    options: {} as Record<string, unknown>,
    texts: [] as string[][],
  };
  const mod: TransformersModule = {
    env: { allowRemoteModels: true, allowLocalModels: false, localModelPath: '/models/' },
    async pipeline(_task, model, options) {
      seen.envAtLoad = { ...mod.env };
      seen.model = model;
      seen.options = options;
      return async (texts) => {
        seen.texts.push(texts);
        const data = new Float32Array(texts.length * dims);
        texts.forEach((t, i) => (data[i * dims] = t.length));
        return { data, dims: [texts.length, dims] };
      };
    },
  };
  return { mod, seen };
}

describe('Local model embedder (@huggingface/transformers, optional)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let modelDir: string;
  beforeEach(() => {
    tmp = tempDir();
    modelDir = path.join(tmp.dir, 'multilingual-e5-small');
    mkdirSync(modelDir);
    writeFileSync(path.join(modelDir, 'config.json'), JSON.stringify({ hidden_size: 4 }));
  });
  afterEach(() => tmp.cleanup());

  it('reads its size from the model folder and names the model in its id', () => {
    const e = new LocalModelEmbedder(modelDir);
    expect(e.dimensions).to.equal(4);
    expect(e.id).to.equal('local:multilingual-e5-small:d4:q=query::p=passage:');
  });

  it('fails at once, saying what to do, when the folder is not a model', () => {
    expect(() => new LocalModelEmbedder(tmp.dir)).to.throw(LocalModelError, /config\.json/);
  });

  it('switches remote models off and reads only the given folder, before loading anything', async () => {
    const { mod, seen } = standIn(4);
    const e = new LocalModelEmbedder(modelDir, { load: async () => mod });
    await e.init();
    expect(seen.envAtLoad).to.deep.equal({
      allowRemoteModels: false,
      allowLocalModels: true,
      localModelPath: tmp.dir + path.sep,
    });
    expect(seen.model).to.equal('multilingual-e5-small');
    expect(seen.options).to.include({ local_files_only: true });
  });

  it('embeds with e5 prefixes, in batches, one vector per text', async () => {
    const { mod, seen } = standIn(4);
    const e = new LocalModelEmbedder(modelDir, { load: async () => mod });
    const texts = Array.from({ length: 20 }, (_, i) => `t${i}`);
    const out = await e.embed(texts, 'passage');
    expect(out).to.have.length(20);
    expect(out[0]).to.be.instanceOf(Float32Array).with.length(4);
    expect(seen.texts.map((b) => b.length)).to.deep.equal([16, 4]);
    expect(seen.texts[0]![0]).to.equal('passage: t0');
    await e.embed(['hola'], 'query');
    expect(seen.texts.at(-1)).to.deep.equal(['query: hola']);
  });

  it('explains how to install the optional package when it is absent', async function () {
    try {
      createRequire(import.meta.url).resolve('@huggingface/transformers');
      console.log('      skipped: @huggingface/transformers is installed here');
      this.skip();
    } catch {
      // absent, as in a default install
    }
    const error = await new LocalModelEmbedder(modelDir).init().catch((e: Error) => e);
    expect(error).to.be.instanceOf(LocalModelError);
    expect((error as Error).message)
      .to.include('npm install')
      .and.include('@huggingface/transformers');
  });
});
