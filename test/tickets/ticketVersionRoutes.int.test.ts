import { expect } from 'chai';
import { freshDatabase, postgresUnavailable, skipWhen } from '../helpers/services.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const AGENT = 'agent-key-0123456789';
const bearer = { Authorization: `Bearer ${AGENT}` };

interface Instances {
  /** Two instances of one deployment: the same server for the embedded store, two servers on one database for PostgreSQL. */
  one: TestServer;
  two: TestServer;
  close(): Promise<void>;
}

const backends: { name: string; unavailable(): Promise<string | null>; start(): Promise<Instances> }[] = [
  {
    name: 'embedded',
    unavailable: async () => null,
    async start() {
      const s = await startTestServer({ env: { DEFLECT_API_KEYS: `agent=${AGENT}` } });
      return { one: s, two: s, close: () => s.close() };
    },
  },
  {
    name: 'postgres',
    unavailable: postgresUnavailable,
    async start() {
      const db = await freshDatabase();
      const env = { DATABASE_URL: db.url, DEFLECT_API_KEYS: `agent=${AGENT}` };
      const [one, two] = await Promise.all([startTestServer({ env }), startTestServer({ env })]);
      return {
        one: one!,
        two: two!,
        async close() {
          await Promise.all([one!.close(), two!.close()]);
          await db.drop();
        },
      };
    },
  },
];

async function patch(
  s: TestServer,
  id: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${s.url}/api/tickets/${id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...bearer, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

for (const backend of backends) {
  describe(`PATCH /api/tickets/:id against a version (${backend.name})`, function () {
    this.timeout(120_000);
    let i: Instances | undefined;
    before(async function () {
      const reason = await backend.unavailable();
      skipWhen(reason, this);
      i = await backend.start();
    });
    after(() => i?.close());

    /** A new ticket, and its version as GET shows it. */
    async function opened(): Promise<{ id: string; version: string }> {
      const created = await postJson(`${i!.one.url}/api/tickets`, { email: 'ana@example.com', subject: 'VPN drops' });
      expect(created.status).to.equal(201);
      const got = await getJson(`${i!.two.url}/api/tickets/${created.body.id}`, bearer);
      return { id: created.body.id, version: got.body.version };
    }

    it('GET gives the version in the body and as the ETag, uncached', async () => {
      const { id } = await opened();
      const got = await getJson(`${i!.one.url}/api/tickets/${id}`, bearer);
      expect(got.body.version).to.be.a('string').and.not.empty;
      expect(got.headers.get('etag')).to.equal(`"${got.body.version}"`);
      expect(got.headers.get('cache-control')).to.equal('no-store');
    });

    it("refuses a change against a replaced version with 409 ticket_changed and the ticket as it is now; the colleague's change stays", async () => {
      const { id, version } = await opened();
      const b = await patch(i!.two, id, { priority: 'P1', version });
      expect(b.status).to.equal(200);
      expect(b.body.version).to.not.equal(version);
      expect(b.headers.get('etag')).to.equal(`"${b.body.version}"`);

      const a = await patch(i!.one, id, { team: 'network', version });
      expect(a.status).to.equal(409);
      expect(a.body.error.code).to.equal('ticket_changed');
      expect(a.body.error.details).to.include({ id, expected: version, version: b.body.version });
      expect(a.body.error.details.ticket).to.include({ id, priority: 'P1', version: b.body.version });
      expect(a.body.error.details.ticket.team).to.equal(undefined);

      const now = (await getJson(`${i!.one.url}/api/tickets/${id}`, bearer)).body;
      expect(now).to.include({ priority: 'P1', version: b.body.version });
      expect(now.team).to.equal(undefined);
      // Made again against the version it was refused with, it goes through.
      const again = await patch(i!.one, id, { team: 'network', version: a.body.error.details.version });
      expect(again.status).to.equal(200);
      expect(again.body).to.include({ priority: 'P1', team: 'network' });
    });

    it('takes the version as If-Match too (GET’s ETag); * or no version is no condition', async () => {
      const { id, version } = await opened();
      const first = await patch(i!.one, id, { tags: ['vpn'] }, { 'If-Match': `"${version}"` });
      expect(first.status).to.equal(200);
      const stale = await patch(i!.two, id, { tags: ['network'] }, { 'If-Match': `"${version}"` });
      expect(stale.status).to.equal(409);
      expect(stale.body.error.code).to.equal('ticket_changed');
      expect((await patch(i!.two, id, { type: 'incident' }, { 'If-Match': '*' })).status).to.equal(200);
      const malformed = await patch(i!.one, id, { type: 'question' }, { 'If-Match': version });
      expect(malformed.status).to.equal(400);
      expect(malformed.body.error.code).to.equal('invalid_request');
      const current = (await getJson(`${i!.one.url}/api/tickets/${id}`, bearer)).body.version;
      const disagree = await patch(i!.one, id, { type: 'question', version }, { 'If-Match': `"${current}"` });
      expect(disagree.status).to.equal(400);
    });

    it('without a version, a PATCH applies to whatever is there, as before', async () => {
      const { id, version } = await opened();
      expect((await patch(i!.two, id, { team: 'billing', version })).status).to.equal(200);
      const blind = await patch(i!.one, id, { team: 'network' });
      expect(blind.status).to.equal(200);
      expect(blind.body.team).to.equal('network');
    });

    it('of two PATCHes sent at once against one version, one on each instance, exactly one is 200 and one 409', async () => {
      for (let round = 0; round < 4; round++) {
        const { id, version } = await opened();
        const [a, b] = await Promise.all([
          patch(i!.one, id, { team: 'network', version }),
          patch(i!.two, id, { team: 'billing', version }),
        ]);
        expect([a.status, b.status].sort(), `round ${round}`).to.deep.equal([200, 409]);
        const won = a.status === 200 ? a : b;
        const lost = a.status === 200 ? b : a;
        expect(lost.body.error.details.ticket.team).to.equal(won.body.team);
        expect((await getJson(`${i!.two.url}/api/tickets/${id}`, bearer)).body.team).to.equal(won.body.team);
      }
    });

    it('a reply is never refused for a triage change; a triage edit drawn before the reply is', async () => {
      const { id, version } = await opened();
      const triaged = await patch(i!.one, id, { priority: 'P2', version });
      expect(triaged.status).to.equal(200);
      // Replies take no version: a colleague's triage change never blocks one.
      const reply = await postJson(`${i!.two.url}/api/tickets/${id}/messages`, { text: 'On it' }, bearer);
      expect(reply.status).to.equal(201);
      // The reply moved the version as any change does: an edit against the ticket drawn before it is refused.
      expect((await patch(i!.one, id, { team: 'billing', version: triaged.body.version })).status).to.equal(409);
      expect((await patch(i!.one, id, { team: 'network', version: reply.body.ticket.version })).status).to.equal(200);
    });
  });
}
