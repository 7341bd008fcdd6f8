import { expect } from 'chai';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The widget's POST /api/ask and /api/feedback are mounted ahead of the app's
 * other routers with the app's steps as their own: what a client sees must be
 * what the app's chain gives every other /api route, in the same order.
 */
describe('the widget routes, mounted first', function () {
  this.timeout(60_000);
  let s: TestServer;
  beforeEach(async () => (s = await startTestServer({ env: { RATE_LIMIT_ASK_PER_MINUTE: '3' } })));
  afterEach(async () => s.close());

  const ask = (body: unknown, headers: Record<string, string> = {}) => postJson(`${s.url}/api/ask`, body, headers);

  it('check the body as the /api chain does, before counting the ask', async () => {
    expect((await ask('hola', { 'Content-Type': 'text/plain' })).body.error.code).to.equal('unsupported_media_type');
    expect((await ask('{oops')).body.error.code).to.equal('invalid_json');
    const first = await ask({ question: 'vpn' });
    expect(first.status).to.equal(200);
    // Neither refused body was counted: the limiter runs after the JSON checks.
    expect(first.headers.get('ratelimit')).to.match(/^limit=3, remaining=2, reset=\d+$/);
    expect(first.headers.get('ratelimit-policy')).to.equal('3;w=60');
  });

  it('share the ask budget with every other method and path under them', async () => {
    expect((await ask({ question: 'vpn' })).status).to.equal(200);
    expect((await getJson(`${s.url}/api/ask`)).status).to.equal(404);
    expect((await postJson(`${s.url}/api/feedback/more`, {})).status).to.equal(404);
    const limited = await ask({ question: 'vpn' });
    expect(limited.status).to.equal(429);
    expect(limited.body.error.code).to.equal('rate_limited');
  });
});
