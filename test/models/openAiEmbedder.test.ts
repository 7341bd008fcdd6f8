import { expect } from 'chai';
import { loadConfig } from '../../core/config/index.ts';
import { createEmbedder, initEmbedder } from '../../core/createCore.ts';
import { UnavailableError } from '../../core/errors.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { OpenAiEmbedder, type OpenAiEmbedderOptions } from '../../core/search/openAiEmbedder.ts';
import { guardNetwork, startFakeOpenAi, type FakeOpenAi } from '../fakes/fakeOpenAi.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';

describe('OpenAI-compatible embedder (against a fake server on 127.0.0.1)', () => {
  let fake: FakeOpenAi;
  let guard: ReturnType<typeof guardNetwork>;
  const make = (o: Partial<OpenAiEmbedderOptions> = {}) =>
    new OpenAiEmbedder({
      provider: 'openai',
      model: 'fake-embed',
      baseUrl: fake.baseUrl,
      apiKey: 'sk-test-secret-123',
      azureApiVersion: '2024-10-21',
      batchSize: 64,
      maxRetries: 2,
      timeoutMs: 2000,
      retryBaseMs: 5,
      ...o,
    });

  beforeEach(async () => {
    guard = guardNetwork();
    fake = await startFakeOpenAi({ dimensions: 24 });
  });
  afterEach(async () => {
    await fake.close();
    guard.restore();
    expect(guard.attempts, 'no request may leave the machine (tiktoken, api.openai.com)').to.deep.equal([]);
  });

  it('asks for float vectors of the configured model, with the key, and learns the dimensions', async () => {
    const e = make();
    await e.init();
    expect(e.dimensions).to.equal(24);
    const [v] = await e.embed(['reset my password'], 'query', 'en');
    expect(v).to.be.instanceOf(Float32Array);
    expect(v).to.have.length(24);
    const last = fake.requests.at(-1)!;
    expect(last.path).to.equal('/v1/embeddings');
    expect(last.body).to.deep.include({ model: 'fake-embed', encoding_format: 'float', input: ['reset my password'] });
    expect(last.headers.authorization).to.equal('Bearer sk-test-secret-123');
  });

  it('names the model in its id, so the index records which model made its vectors', () => {
    expect(make().id).to.equal('openai:fake-embed');
    expect(make({ dimensions: 8 }).id).to.equal('openai:fake-embed:d8');
    expect(make({ queryPrefix: 'query:', passagePrefix: 'passage:' }).id).to.equal(
      'openai:fake-embed:q=query::p=passage:',
    );
  });

  it('splits large inputs into batches and keeps their order', async () => {
    const e = make({ batchSize: 3 });
    const texts = Array.from({ length: 7 }, (_, i) => `text number ${i}`);
    const out = await e.embed(texts, 'passage');
    expect(fake.requests.map((r) => r.body.input.length)).to.deep.equal([3, 3, 1]);
    const one = await make().embed(['text number 5'], 'passage');
    expect(Array.from(out[5]!)).to.deep.equal(Array.from(one[0]!));
  });

  it('adds the model’s query and passage prefixes', async () => {
    const e = make({ queryPrefix: 'query:', passagePrefix: 'passage:' });
    await e.embed(['a'], 'query');
    await e.embed(['b'], 'passage');
    expect(fake.requests.map((r) => r.body.input[0])).to.deep.equal(['query: a', 'passage: b']);
  });

  const retried: { failure: 500 | 429 | 'drop' | 'hang'; description: string }[] = [
    { failure: 500, description: 'a server error' },
    { failure: 429, description: 'a rate limit' },
    { failure: 'drop', description: 'a dropped connection' },
    { failure: 'hang', description: 'a timeout' },
  ];
  for (const { failure, description } of retried) {
    it(`retries after ${description}, then succeeds`, async () => {
      fake.script.push(failure);
      const [v] = await make({ timeoutMs: 300 }).embed(['hello'], 'query');
      expect(v).to.have.length(24);
      expect(fake.requests).to.have.length(2);
    });
  }

  it('gives up after its retries with UnavailableError, naming the model and not the key', async () => {
    fake.script.push(500, 500, 500);
    const error = await make({ maxRetries: 2 })
      .embed(['x'], 'query')
      .catch((e: Error) => e);
    expect(error).to.be.instanceOf(UnavailableError);
    expect((error as Error).message)
      .to.include('fake-embed')
      .and.include('after 3 attempts')
      .and.include('HTTP 500');
    expect((error as Error).message).not.to.include('sk-test-secret');
    expect(fake.requests).to.have.length(3);
  });

  it('does not retry what retrying cannot fix (a wrong key)', async () => {
    fake.script.push(401);
    const error = await make()
      .embed(['x'], 'query')
      .catch((e: Error) => e);
    expect(error).to.be.instanceOf(UnavailableError);
    expect((error as Error).message).to.include('HTTP 401');
    expect(fake.requests).to.have.length(1);
  });

  it('rejects an answer that is not a vector of numbers', async () => {
    fake.script.push('garbage', 'garbage', 'garbage');
    const error = await make({ maxRetries: 0 })
      .embed(['x'], 'query')
      .catch((e: Error) => e);
    expect(error).to.be.instanceOf(UnavailableError);
  });

  it('asks for the configured dimensions, and rejects vectors of another size', async () => {
    const e = make({ dimensions: 12 });
    expect(await e.embed(['x'], 'query')).to.have.nested.property('[0].length', 12);
    expect(fake.requests.at(-1)!.body.dimensions).to.equal(12);
    fake.forceDimensions = 30;
    const error = await e.embed(['y'], 'query').catch((err: Error) => err);
    expect(error).to.be.instanceOf(UnavailableError);
    expect((error as Error).message).to.include('returned 30 dimensions, expected 12');
  });

  it('speaks Azure OpenAI: deployment path, api-version and api-key header', async () => {
    const e = make({
      provider: 'azure-openai',
      baseUrl: fake.url,
      azureDeployment: 'embed-dep',
      azureApiVersion: '2024-10-21',
    });
    const [v] = await e.embed(['hola'], 'query', 'es');
    expect(v).to.have.length(24);
    const last = fake.requests.at(-1)!;
    expect(last.path).to.equal('/openai/deployments/embed-dep/embeddings');
    expect(last.query['api-version']).to.equal('2024-10-21');
    expect(last.headers['api-key']).to.equal('sk-test-secret-123');
    expect(last.body.encoding_format).to.equal('float');
  });

  it('is chosen by EMBEDDER=openai, and an index built with it records the model', async function () {
    this.timeout(60_000);
    const config = loadConfig({
      EMBEDDER: 'openai',
      EMBEDDINGS_BASE_URL: fake.baseUrl,
      EMBEDDINGS_MODEL: 'fake-embed',
      EMBEDDINGS_API_KEY: 'sk-x',
    });
    const embedder = await initEmbedder(createEmbedder(config));
    const built = await buildIndex({ kbDir: FIXTURE_KB, embedder, defaultLang: 'en' });
    expect(built.index.manifest.embedder).to.deep.equal({ id: 'openai:fake-embed', dimensions: 24 });
    expect(built.vectors).to.be.greaterThan(100);
    expect(fake.requests.every((r) => r.body.encoding_format === 'float')).to.equal(true);
  });
});

describe('Embedder settings', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  it('requires what each EMBEDDER needs, and hides keys in messages', () => {
    expect(problems({ EMBEDDER: 'openai' }).join()).to.include('EMBEDDINGS_MODEL');
    expect(problems({ EMBEDDER: 'azure-openai', EMBEDDINGS_MODEL: 'm' }).join()).to.include(
      'EMBEDDINGS_AZURE_DEPLOYMENT',
    );
    expect(problems({ EMBEDDER: 'local' }).join()).to.include('EMBEDDINGS_LOCAL_DIR');
    expect(
      problems({
        EMBEDDER: 'openai',
        EMBEDDINGS_MODEL: 'm',
        EMBEDDINGS_API_KEY: 'sk-123',
        EMBEDDINGS_BASE_URL: 'not a url',
      }).join(),
    ).not.to.include('sk-123');
    expect(problems({})).to.deep.equal([]);
  });
});
