import { expect } from 'chai';
import { GraphClient, WhatsAppSendError } from '../../core/whatsapp/graphClient.ts';
import { FakeGraph } from '../fakes/fakeGraph.ts';
import { PHONE_NUMBER_ID, TOKEN } from './payloads.ts';

describe('WhatsApp Graph client', () => {
  let graph: FakeGraph;
  const client = (attempts = 4) =>
    new GraphClient({ graphUrl: graph.url, token: TOKEN, phoneNumberId: PHONE_NUMBER_ID }, { attempts, backoffMs: 5 });
  const hello = { to: '34600333444', type: 'text' as const, text: { body: 'hola' } };
  beforeEach(async () => {
    graph = await FakeGraph.start();
  });
  afterEach(async () => {
    await graph.close();
  });

  it('resolves with the id WhatsApp gave the message', async () => {
    expect(await client().send(hello)).to.equal('wamid.out1');
  });

  it('retries 429 and 5xx with backoff until it goes through', async () => {
    graph.failNext(429, 500, 503);
    expect(await client().send(hello)).to.match(/^wamid\./);
    expect(graph.requests).to.have.length(4);
  });

  it('gives up after its attempts, with an error that names the status and not the token', async () => {
    graph.failNext(503, 503, 503);
    const error = (await client(3)
      .send(hello)
      .catch((e: unknown) => e)) as WhatsAppSendError;
    expect(error).to.be.instanceOf(WhatsAppSendError);
    expect(error.message).to.match(/HTTP 503/);
    expect(JSON.stringify({ m: error.message, d: error.details })).to.not.include(TOKEN);
    expect(graph.requests).to.have.length(3);
  });

  it('does not retry another 4xx: the message itself is refused', async () => {
    graph.failNext(400);
    const error = await client()
      .send(hello)
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(WhatsAppSendError);
    expect(graph.requests).to.have.length(1);
  });
});
