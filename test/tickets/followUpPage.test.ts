import { expect } from 'chai';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const AGENT = 'agent-key-0123456789';
const agent = { Authorization: `Bearer ${AGENT}` };

/** What a browser with JavaScript off does: GET the page, POST its forms as urlencoded, follow no redirect itself. */
async function page(url: string) {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, html: await res.text(), headers: res.headers };
}
async function submit(url: string, fields: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

describe('the follow-up page: the ticket with its token, JavaScript off', function () {
  this.timeout(60_000);
  let s: TestServer;
  const open = async (body: Record<string, unknown> = {}) => {
    const r = await postJson(`${s.url}/api/tickets`, { email: 'ana@example.com', description: 'Hola', ...body });
    return { id: r.body.id as string, path: new URL(r.body.followUp.url).pathname };
  };

  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `agent=${AGENT}` } });
  });
  after(() => s.close());

  it('shows the subject, the status in words and the public thread, escaped, in the ticket’s language; never cached', async () => {
    const t = await open({ subject: '<script>alert(1)</script> pedido', description: 'Mi pedido <b>no</b> llega' });
    await s.core.tickets.update(t.id, (x) => void (x.lang = 'es'));
    await postJson(`${s.url}/api/tickets/${t.id}/messages`, { text: 'NOTA-INTERNA', internal: true }, agent);
    const r = await page(`${s.url}${t.path}`);
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.contain('text/html');
    expect(r.headers.get('cache-control')).to.equal('no-store');
    expect(r.headers.get('referrer-policy')).to.equal('no-referrer');
    expect(r.html).to.contain('<html lang="es">');
    expect(r.html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt; pedido').and.not.contain('<script>');
    expect(r.html).to.contain('Mi pedido &lt;b&gt;no&lt;/b&gt; llega');
    expect(r.html).to.contain('Recibida: la estamos revisando');
    expect(r.html).to.not.contain('NOTA-INTERNA');
    expect(r.html).to.match(/<form method="post" action="[^"]+\/messages">/);
    expect(r.html).to.not.contain('name="score"');
    expect((await page(`${s.url}${t.path}?lang=en`)).html).to.contain('Received: we&#39;re looking into it');
  });

  it('a wrong token, an unknown ticket and a malformed id show the same 404 page', async () => {
    const t = await open();
    const [, , , token] = t.path.split('/');
    for (const p of [`/follow/${t.id}/wrong-token`, `/follow/T-999999/${token}`, `/follow/x/${token}`]) {
      const r = await page(`${s.url}${p}`);
      expect(r.status, p).to.equal(404);
      expect(r.html).to.contain('We could not find this request');
    }
    const posted = await submit(`${s.url}/follow/${t.id}/wrong-token/messages`, { text: 'hi' });
    expect(posted.status).to.equal(404);
    expect((await s.core.tickets.get(t.id)).messages).to.have.length(1);
  });

  it('the reply form posts the message and comes back to the page (post/redirect/get)', async () => {
    const t = await open();
    await postJson(`${s.url}/api/tickets/${t.id}/messages`, { text: 'Which size?' }, agent);
    const r = await submit(`${s.url}${t.path}/messages`, { text: 'Size M, <thanks>' });
    expect(r.status).to.equal(303);
    expect(r.location).to.equal(`${t.path}?done=sent`);
    const after = await page(`${s.url}${r.location}`);
    expect(after.html).to.contain('Size M, &lt;thanks&gt;').and.contain('Message sent.');
    expect((await s.core.tickets.get(t.id)).status).to.equal('open');
    const empty = await submit(`${s.url}${t.path}/messages`, { text: ' ' });
    expect(empty.status).to.equal(400);
    expect(empty.html).to.contain('Check the form');
  });

  it('once solved the page offers a rating; the rating form records it and it can be changed', async () => {
    const t = await open();
    expect((await submit(`${s.url}${t.path}/rating`, { score: 'good' })).status).to.equal(409);
    await postJson(`${s.url}/api/tickets/${t.id}/messages`, { text: 'Done', status: 'solved' }, agent);
    expect((await page(`${s.url}${t.path}`)).html).to.contain('name="score"');
    const r = await submit(`${s.url}${t.path}/rating`, { score: 'bad', comment: 'Too slow' });
    expect(r.status).to.equal(303);
    expect(r.location).to.equal(`${t.path}?done=rated`);
    expect((await s.core.tickets.get(t.id)).rating).to.include({ score: 'bad', comment: 'Too slow' });
    await submit(`${s.url}${t.path}/rating`, { score: 'good', comment: '' });
    expect((await s.core.tickets.get(t.id)).rating)
      .to.deep.include({ score: 'good' })
      .and.not.have.property('comment');
    expect((await page(`${s.url}${t.path}?done=rated`)).html).to.contain('Thank you for your rating.');
  });

  it('writing on a closed ticket opens a follow-up ticket and goes to its own page', async () => {
    const t = await open();
    await s.core.tickets.update(t.id, (x) => void (x.status = 'closed'));
    const before = await page(`${s.url}${t.path}`);
    expect(before.html).to.contain('This request is closed');
    const r = await submit(`${s.url}${t.path}/messages`, { text: 'Again broken' });
    expect(r.status).to.equal(303);
    expect(r.location).to.match(/^\/follow\/T-\d{6}\/[\w-]+\?done=follow_up$/);
    expect(r.location).to.not.contain(t.id);
    const next = await page(`${s.url}${r.location}`);
    expect(next.status).to.equal(200);
    expect(next.html).to.contain('Again broken').and.contain('We opened a new request');
  });
});
