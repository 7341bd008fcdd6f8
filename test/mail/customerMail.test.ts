import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { eventually } from '../helpers/eventually.ts';
import { startSmtpReceiver, type ReceivedMail } from './smtpReceiver.ts';

const AGENT = 'agent-key-0123456789';
const ADMIN = 'admin-key-0123456789';
const agent = { Authorization: `Bearer ${AGENT}` };

async function agentSends(method: 'PATCH' | 'POST', url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...agent },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).to.be.below(300);
}

async function openTicket(s: TestServer, body: Record<string, unknown>) {
  const r = await postJson(`${s.url}/api/tickets`, body);
  expect(r.status, JSON.stringify(r.body)).to.equal(201);
  return r.body as { id: string; followUp: { token: string; url: string } };
}

/** Every queued mail was sent (the queue is empty). */
const sent = (s: TestServer) =>
  eventually(async () => (await s.core.mail!.all()).length === 0, { what: 'the mail queue to empty' });

/** The mails addressed to one customer, in the order they were accepted. */
const to = (mails: ReceivedMail[], address: string) => mails.filter((m) => m.rcptTo.includes(address));

/**
 * Issue 17, "E-mail to the customer": the customer hears about their ticket
 * by e-mail — on creation (the id and the follow-up link), on each public
 * agent reply, and when it is solved (with satisfaction links that only a
 * POST acts on) — in the ticket's language, threaded, marked as automatic,
 * and through a queue that retries a refusing server without holding up or
 * losing the ticket change. Against a real SMTP server on loopback.
 */
describe('e-mail to the customer over SMTP', function () {
  this.timeout(60_000);
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let s: TestServer;

  before(async () => {
    smtp = await startSmtpReceiver();
    s = await startTestServer({
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Soporte Deflect <soporte@help.example.com>',
        MAIL_BACKOFF_MS: '50',
        PUBLIC_URL: 'https://help.example.com',
        DEFLECT_API_KEYS: `agent=${AGENT},admin=${ADMIN}`,
      },
    });
  });
  after(async () => {
    await s?.close();
    await smtp?.close();
  });

  it('mails the id and the follow-up link on creation, as text and HTML, marked automatic', async () => {
    const t = await openTicket(s, { email: 'ana@example.com', name: 'Ana', description: 'My monitor flickers' });
    await eventually(() => expect(to(smtp.received, 'ana@example.com')).to.have.length(1));
    const [mail] = to(smtp.received, 'ana@example.com');
    const m = mail!.parsed;
    expect(m.from?.address).to.equal('soporte@help.example.com');
    expect(m.subject).to.equal(`[${t.id}] We received your request: My monitor flickers`);
    expect(m.text).to.contain(t.id).and.contain(t.followUp.url);
    expect(m.html).to.contain(`href="${t.followUp.url}"`);
    expect(mail!.header('auto-submitted')).to.equal('auto-replied');
    expect(m.messageId).to.match(new RegExp(`^<deflect\\.${t.id}\\.[a-z0-9]+@help\\.example\\.com>$`));
    expect(m.inReplyTo).to.equal(undefined);
  });

  it('mails each public reply, never an internal note, threaded under the creation mail', async () => {
    const t = await openTicket(s, { email: 'bea@example.com', description: 'Need a new badge' });
    await eventually(() => expect(to(smtp.received, 'bea@example.com')).to.have.length(1));
    await agentSends('POST', `${s.url}/api/tickets/${t.id}/messages`, {
      text: 'INTERNAL: she lost two already',
      internal: true,
    });
    await agentSends('POST', `${s.url}/api/tickets/${t.id}/messages`, { text: 'Which building are you in?' });
    await eventually(() => expect(to(smtp.received, 'bea@example.com')).to.have.length(2));
    // A change's mails are queued before its route answers: once the queue is empty, nothing else is on its way.
    await sent(s);
    const [created, reply] = to(smtp.received, 'bea@example.com');
    expect(to(smtp.received, 'bea@example.com')).to.have.length(2);
    expect(reply!.parsed.subject).to.equal(`Re: [${t.id}] Need a new badge`);
    expect(reply!.parsed.text).to.contain('Which building are you in?').and.contain(t.followUp.url);
    expect(reply!.parsed.html).to.contain('Which building are you in?');
    expect(reply!.parsed.inReplyTo).to.equal(created!.parsed.messageId);
    expect(reply!.parsed.references).to.contain(created!.parsed.messageId);
    expect(reply!.parsed.messageId).to.not.equal(created!.parsed.messageId);
    const all = smtp.received.map((m) => m.raw).join('\n');
    expect(all).to.not.contain('she lost two already');
  });

  it('writes in the ticket language: a Spanish conversation gets Spanish mails', async () => {
    const asked = await postJson(`${s.url}/api/ask`, { question: 'olvidé mi contraseña' });
    expect(asked.body.lang).to.equal('es');
    const t = await openTicket(s, { email: 'carmen@example.com', conversationId: asked.body.conversationId });
    await agentSends('POST', `${s.url}/api/tickets/${t.id}/messages`, { text: 'Te hemos enviado un enlace.' });
    await eventually(() => expect(to(smtp.received, 'carmen@example.com')).to.have.length(2));
    const [created, reply] = to(smtp.received, 'carmen@example.com');
    expect(created!.parsed.subject).to.match(new RegExp(`^\\[${t.id}\\] Hemos recibido tu solicitud: `));
    expect(created!.parsed.text).to.contain('Guarda este enlace');
    expect(reply!.parsed.text).to.contain('te ha respondido').and.contain('Te hemos enviado un enlace.');
    expect(created!.parsed.html).to.contain('<html lang="es">');
  });

  it('asks for satisfaction once per solve, with links whose GET only shows a form and whose POST rates', async () => {
    const t = await openTicket(s, { email: 'dora@example.com', description: 'Printer offline' });
    await agentSends('PATCH', `${s.url}/api/tickets/${t.id}`, { status: 'solved' });
    await eventually(() => expect(to(smtp.received, 'dora@example.com')).to.have.length(2));
    // Later changes to the solved ticket do not ask again.
    await agentSends('PATCH', `${s.url}/api/tickets/${t.id}`, { assignee: 'eva' });
    await sent(s);
    const mails = to(smtp.received, 'dora@example.com');
    expect(mails).to.have.length(2);
    const solved = mails[1]!.parsed;
    expect(solved.subject).to.equal(`[${t.id}] Solved: Printer offline`);
    expect(solved.inReplyTo).to.equal(mails[0]!.parsed.messageId);
    const good = `${t.followUp.url}/rate?score=good`;
    expect(solved.text).to.contain(good).and.contain(`${t.followUp.url}/rate?score=bad`);

    // A mail scanner follows the link: it gets a confirmation form, and nothing is recorded.
    const local = good.replace('https://help.example.com', s.url);
    const page = await fetch(local);
    expect(page.status).to.equal(200);
    const html = await page.text();
    expect(html).to.contain('<form method="post"').and.contain('value="good" required checked');
    const customer = { Authorization: `Bearer ${t.followUp.token}` };
    expect((await getJson(`${s.url}/api/my/tickets/${t.id}`, customer)).body.rating).to.equal(undefined);

    // The customer confirms: the form's POST records the rating.
    const action = /action="([^"]+\/rating)"/.exec(html)![1]!;
    const posted = await fetch(`${s.url}${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'score=good&comment=quick',
      redirect: 'manual',
    });
    expect(posted.status).to.equal(303);
    const after = (await getJson(`${s.url}/api/my/tickets/${t.id}`, customer)).body;
    expect(after.rating).to.include({ score: 'good', comment: 'quick' });
  });

  it('answers a wrong token on the satisfaction link with the same 404 page', async () => {
    const t = await openTicket(s, { email: 'fede@example.com' });
    const res = await fetch(`${s.url}/follow/${t.id}/not-the-token/rate?score=good`);
    expect(res.status).to.equal(404);
  });

  it('retries a mail the server refuses, and the ticket is open meanwhile', async () => {
    smtp.refuse(2, 451);
    const before = smtp.refused;
    const t = await openTicket(s, { email: 'gil@example.com', description: 'Keyboard missing keys' });
    // The ticket is committed and followable while its mail waits for the server.
    const shown = await getJson(`${s.url}/api/my/tickets/${t.id}`, { Authorization: `Bearer ${t.followUp.token}` });
    expect(shown.status).to.equal(200);
    await eventually(() => expect(to(smtp.received, 'gil@example.com')).to.have.length(1), { timeoutMs: 20_000 });
    expect(smtp.refused - before).to.equal(2);
    expect(to(smtp.received, 'gil@example.com')[0]!.parsed.text).to.contain(t.followUp.url);
  });

  it('keeps a mail the server rejects (5xx) dead, and the admin resend delivers it under its Message-ID', async () => {
    smtp.refuse(1, 550);
    const t = await openTicket(s, { email: 'iris@example.com', description: 'Mailbox full' });
    const [dead] = await eventually(async () => {
      const list = await s.core.mail!.dead();
      return list.length === 1 && list;
    });
    expect(dead!.lastError).to.equal('SMTP 550');
    expect(to(smtp.received, 'iris@example.com')).to.have.length(0);

    const r = await postJson(`${s.url}/api/admin/mail/retry`, {}, { Authorization: `Bearer ${ADMIN}` });
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.include({ resent: 1, remaining: 0 });
    const [mail] = to(smtp.received, 'iris@example.com');
    expect(mail!.parsed.messageId).to.equal((dead!.payload.mail as { messageId: string }).messageId);
    expect(mail!.parsed.text).to.contain(t.followUp.url);
    expect(await s.core.mail!.all()).to.deep.equal([]);
  });
});

describe('e-mail to the customer without SMTP_URL', function () {
  this.timeout(60_000);
  let s: TestServer;

  before(async () => {
    s = await startTestServer({ env: { MAIL_FROM: 'help@example.org' } });
  });
  after(async () => await s?.close());

  it('sends nothing and writes each mail to DATA_DIR/outbox as an .eml file', async () => {
    const t = await openTicket(s, { email: 'hugo@example.com', description: 'VPN drops' });
    const outbox = path.join(s.config.dataDir, 'outbox');
    const files = await eventually(async () => {
      const names = (await fs.readdir(outbox).catch(() => [])).filter((f) => f.endsWith('.eml'));
      expect(names).to.have.length(1);
      return names;
    });
    expect(files[0]).to.contain(t.id).and.contain('created');
    const mail = await PostalMime.parse(await fs.readFile(path.join(outbox, files[0]!)));
    expect(mail.to?.[0]?.address).to.equal('hugo@example.com');
    expect(mail.subject).to.contain(t.id);
    expect(mail.text).to.contain(t.followUp.url);
    expect(mail.headers.find((h) => h.key === 'auto-submitted')?.value).to.equal('auto-replied');
  });
});
