import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { HELMET_OPTIONS } from '../../server/app.ts';
import { securityHeaders } from '../../server/securityHeaders.ts';

/** A small app behind `headers`: a JSON reply, a page that sets a header of its own, a 404. */
async function serve(headers: RequestHandler): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  app.use(headers);
  app.get('/json', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/page', (_req, res) => {
    res.set('X-Frame-Options', 'DENY').type('html').send('<p>page</p>');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Every response header in the order sent, but the date. */
function rawHeaders(url: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        const pairs: string[][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          if (res.rawHeaders[i]!.toLowerCase() !== 'date') pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        res.on('end', () => resolve(pairs));
      })
      .on('error', reject);
  });
}

describe('securityHeaders: helmet worked out once', () => {
  it('sends exactly the headers helmet sends, in the same order, on every kind of response', async () => {
    const viaHelmet = await serve(helmet(HELMET_OPTIONS));
    const once = await serve(securityHeaders(HELMET_OPTIONS));
    try {
      for (const route of ['/json', '/page', '/missing']) {
        const want = await rawHeaders(viaHelmet.url + route);
        expect(
          want.map((pair) => pair[0]!.toLowerCase()),
          route,
        ).to.include('content-security-policy');
        expect(await rawHeaders(once.url + route), route).to.deep.equal(want);
      }
    } finally {
      await viaHelmet.close();
      await once.close();
    }
  });

  it('leaves a policy computed per request (a nonce) to helmet itself', async () => {
    let n = 0;
    const options = { contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => `'nonce-${++n}'`] } } };
    const app = await serve(securityHeaders(options));
    try {
      const csp = async () =>
        (await rawHeaders(`${app.url}/json`)).find(([name]) => name === 'Content-Security-Policy')![1];
      expect(await csp()).to.not.equal(await csp());
    } finally {
      await app.close();
    }
  });
});
