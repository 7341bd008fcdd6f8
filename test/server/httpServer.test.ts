import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { createHttpServer } from '../../server/httpServer.ts';

describe('createHttpServer', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /** Serve `app` and GET /probe once; `before` sees the request and response before Express does. */
  async function probe(
    app: express.Express,
    before: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<{ status: number; body: string }> {
    server = createHttpServer(app);
    server.prependListener('request', before);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/probe`);
    return { status: res.status, body: await res.text() };
  }

  it("makes requests and responses with the app's prototypes before Express sees them", async () => {
    const app = express();
    app.get('/probe', (_req, res) => void res.json({ ok: true }));
    let born: [boolean, boolean] | undefined;
    await probe(app, (req, res) => {
      born = [Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response];
    });
    // With app.listen() both are Node's plain objects here, until Express's setPrototypeOf.
    expect(born).to.deep.equal([true, true]);
  });

  it('leaves them what Express would make of them: its methods, the app, Node’s classes', async () => {
    const app = express();
    const expressRequest = Object.getPrototypeOf(app.request) as object;
    const expressResponse = Object.getPrototypeOf(app.response) as object;
    app.get('/probe', (req, res) => {
      res.json({
        request: [req instanceof http.IncomingMessage, req.app === app, req.get('host') !== undefined],
        response: [res instanceof http.ServerResponse, res.app === app],
        chain: [
          Object.getPrototypeOf(Object.getPrototypeOf(req)) === expressRequest,
          Object.getPrototypeOf(Object.getPrototypeOf(res)) === expressResponse,
        ],
      });
    });
    const reply = await probe(app, () => undefined);
    expect(reply.status).to.equal(200);
    expect(JSON.parse(reply.body)).to.deep.equal({
      request: [true, true, true],
      response: [true, true],
      chain: [true, true],
    });
  });
});
