import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pacedLoad } from '../../bench/pacedLoad.ts';

describe('pacedLoad (the bench fixed-rate run)', () => {
  let server: http.Server;
  let url: string;
  /** performance.now() when each request's body reached the server, by its index. */
  let arrived: Map<number, number>;
  beforeEach(async () => {
    arrived = new Map();
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        arrived.set((JSON.parse(body) as { i: number }).i, performance.now());
        res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends request i no earlier than i / rate seconds after the start, each exactly once', async () => {
    const r = await pacedLoad({
      url,
      path: '/ask',
      rate: 100,
      seconds: 0.3,
      connections: 10,
      body: (i) => JSON.stringify({ i }),
    });

    expect(r.due).to.deep.equal(Array.from({ length: 30 }, (_, i) => i * 10));
    expect([...arrived.keys()].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 30 }, (_, i) => i));
    // Not a burst of the second's budget at the start: none arrives before it is due.
    for (const [i, at] of arrived) expect(at - r.startedAt, `request ${i}`).to.be.at.least(i * 10);
    expect(r.ok).to.equal(30);
    expect(r.times).to.have.length(30);
    expect(r.sent).to.have.length(30);
    expect(r.errors + r.non2xx).to.equal(0);
  });

  it('counts answers that are not 2xx, and connections that fail, apart', async () => {
    const failing = await pacedLoad({
      url,
      path: '/fail',
      rate: 50,
      seconds: 0.1,
      connections: 2,
      body: (i) => JSON.stringify({ i }),
    });
    expect([failing.ok, failing.non2xx, failing.errors]).to.deep.equal([0, 5, 0]);

    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await pacedLoad({
      url,
      path: '/ask',
      rate: 50,
      seconds: 0.1,
      connections: 2,
      body: (i) => JSON.stringify({ i }),
    });
    expect([refused.ok, refused.non2xx, refused.errors]).to.deep.equal([0, 0, 5]);
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
});
