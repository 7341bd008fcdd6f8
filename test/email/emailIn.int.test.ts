import { expect } from 'chai';
import { startEmailChannel } from '../../email/startEmailChannel.ts';
import { readCursor, writeCursor } from '../../core/email/emailState.ts';
import { dovecotMissing, startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { eventually } from '../helpers/eventually.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtpReceiver, type ReceivedMail } from '../mail/smtpReceiver.ts';

const LEAD = 'lead-key-0123456789';
const SUPPORT = 'support@help.example.com';

let sequence = 0;
/** A customer's message as their mail client writes it; `headers` adds or overrides. */
function mail(o: { from: string; subject: string; body: string; headers?: Record<string, string>; to?: string }) {
  const id = `<m${++sequence}.${Date.now()}@customer.example>`;
  const headers: Record<string, string> = {
    From: o.from,
    To: o.to ?? SUPPORT,
    Subject: o.subject,
    'Message-ID': id,
    Date: new Date().toUTCString(),
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    ...o.headers,
  };
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return { id, raw: `${head}\n\n${o.body}\n` };
}

const to = (mails: ReceivedMail[], address: string) => mails.filter((m) => m.rcptTo.includes(address));

/**
 * Issue 19, "E-mail in": the support mailbox, read over IMAP from Debian's
 * Dovecot on loopback, answered over SMTP (smtp-server on loopback). A new
 * message is answered by the engine through the shared conversation and kept
 * as a ticket (channel `email`); replies thread into it; automatic mail gets
 * no reply; a restart processes nothing twice; the "solved" link's GET only
 * asks, its POST solves and counts as a deflection.
 */
describe('e-mail in over IMAP', function () {
  this.timeout(90_000);
  const missing = dovecotMissing();
  let dovecot: Dovecot;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let s: TestServer;
  let email: Awaited<ReturnType<typeof startEmailChannel>>;

  const tickets = async () => (await s.core.tickets.all()).filter((t) => t.channel === 'email');
  const ticketOf = async (email: string, n = 1) =>
    eventually(
      async () => {
        const mine = (await tickets()).filter((t) => t.email === email);
        return mine.length >= n ? mine : undefined;
      },
      { what: `${n} ticket(s) from ${email}`, timeoutMs: 20_000 },
    );
  const repliesTo = (address: string, n = 1) =>
    eventually(() => (to(smtp.received, address).length >= n ? to(smtp.received, address) : undefined), {
      what: `${n} reply(ies) to ${address}`,
      timeoutMs: 20_000,
    });
  /** The mailbox has been read past everything delivered so far. */
  const settled = () => email!.mailbox.nextPass();

  before(async function () {
    if (missing) {
      console.log(`      (skipped: ${missing})`);
      this.skip();
    }
    dovecot = await startDovecot(SUPPORT);
    smtp = await startSmtpReceiver();
    s = await startTestServer({
      env: {
        IMAP_URL: dovecot.url,
        IMAP_RECONNECT_MS: '50',
        SMTP_URL: smtp.url,
        MAIL_FROM: `Soporte <${SUPPORT}>`,
        MAIL_BACKOFF_MS: '50',
        PUBLIC_URL: 'https://help.example.com',
        DEFLECT_API_KEYS: `lead=${LEAD}`,
        EMAIL_AUTOREPLIES_PER_HOUR: '3',
      },
    });
    email = await startEmailChannel(s.core, s.deps.config);
  });
  after(async () => {
    await email?.mailbox.stop();
    await s?.close();
    await smtp?.close();
    await dovecot?.stop();
  });

  it('answers a new message with the canned answer and "Did this solve it?", and keeps a ticket with channel email', async () => {
    const m = mail({ from: 'Ana <ana@customer.example>', subject: 'Password', body: 'How do I reset my password?' });
    dovecot.deliver(m.raw);
    const [ticket] = await ticketOf('ana@customer.example');
    const [reply] = await repliesTo('ana@customer.example');
    expect(ticket!.channel).to.equal('email');
    expect(ticket!.lang).to.equal('en');
    expect(reply!.parsed.subject).to.equal(`Re: Password [${ticket!.id}]`);
    expect(reply!.parsed.text).to.contain('Did this solve it?').and.contain(`/follow/${ticket!.id}/`);
    expect(reply!.parsed.text).to.match(
      /Yes, it is solved: https:\/\/help\.example\.com\/follow\/T-\d+\/[\w-]+\/solved/,
    );
    expect(reply!.parsed.inReplyTo).to.equal(m.id);
    expect(reply!.header('auto-submitted')).to.equal('auto-replied');
    expect(reply!.parsed.replyTo?.[0]?.address).to.match(/^support\+t\d+-[0-9a-f]{12}@help\.example\.com$/);
    // The ticket's own creation mail is this answer: nothing else was sent.
    expect(to(smtp.received, 'ana@customer.example')).to.have.length(1);
  });

  it('answers in the language of the message', async () => {
    dovecot.deliver(
      mail({ from: 'bruno@customer.example', subject: 'Contraseña', body: '¿Cómo restablezco mi contraseña?' }).raw,
    );
    const [reply] = await repliesTo('bruno@customer.example');
    expect(reply!.parsed.text).to.contain('¿Se ha resuelto?').and.contain('Sí, se ha resuelto');
    const [ticket] = await ticketOf('bruno@customer.example');
    expect(ticket!.lang).to.equal('es');
  });

  it('threads a reply into the same ticket by In-Reply-To and keeps attachments as metadata', async () => {
    dovecot.deliver(mail({ from: 'carla@customer.example', subject: 'VPN', body: 'How do I reset my password?' }).raw);
    const [answer] = await repliesTo('carla@customer.example');
    const boundary = 'b1';
    dovecot.deliver(
      mail({
        from: 'carla@customer.example',
        subject: 'Re: VPN',
        headers: {
          'In-Reply-To': answer!.parsed.messageId!,
          'Content-Type': `multipart/mixed; boundary="${boundary}"`,
        },
        body: [
          `--${boundary}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          'It did not work, the link expired.',
          '',
          '> Here is what our knowledge base says:',
          `--${boundary}`,
          'Content-Type: image/png; name="screen.png"',
          'Content-Disposition: attachment; filename="screen.png"',
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from('not really a png').toString('base64'),
          `--${boundary}--`,
        ].join('\n'),
      }).raw,
    );
    const t = await eventually(
      async () => {
        const [t] = await ticketOf('carla@customer.example');
        return t!.messages.length >= 2 ? t : undefined;
      },
      { what: 'the reply in the ticket', timeoutMs: 20_000 },
    );
    expect(await ticketOf('carla@customer.example')).to.have.length(1);
    const last = t!.messages.at(-1)!;
    expect(last.from).to.equal('customer');
    expect(last.text).to.equal('It did not work, the link expired.');
    expect(last.attachments).to.deep.equal([{ name: 'screen.png', size: 16, type: 'image/png' }]);
    // No second automatic answer to a reply.
    expect(to(smtp.received, 'carla@customer.example')).to.have.length(1);
  });

  it('threads by the +token of the Reply-To only when the requester writes', async () => {
    dovecot.deliver(
      mail({ from: 'dora@customer.example', subject: 'Invoice', body: 'How do I reset my password?' }).raw,
    );
    const [answer] = await repliesTo('dora@customer.example');
    const replyTo = answer!.parsed.replyTo![0]!.address!;
    // Their client dropped the threading headers; the address still names the ticket.
    dovecot.deliver(mail({ from: 'dora@customer.example', to: replyTo, subject: 'more', body: 'Still stuck.' }).raw);
    const [mine] = await eventually(
      async () => {
        const list = await ticketOf('dora@customer.example');
        return list[0]!.messages.some((m) => m.text === 'Still stuck.') ? list : undefined;
      },
      { what: 'the +token reply in the ticket', timeoutMs: 20_000 },
    );
    // Someone else writing to the same address (a forwarded mail) gets a ticket of their own.
    dovecot.deliver(mail({ from: 'eve@other.example', to: replyTo, subject: 'hi', body: 'Still stuck.' }).raw);
    const [eve] = await ticketOf('eve@other.example');
    expect(eve!.id).to.not.equal(mine!.id);
    expect((await s.core.tickets.get(mine!.id)).messages.filter((m) => m.text === 'Still stuck.')).to.have.length(1);
  });

  it('never replies to auto-submitted, list or bulk mail (a ticket, silently) nor to bounces (dropped)', async () => {
    dovecot.deliver(
      mail({
        from: 'ooo@customer.example',
        subject: 'Out of office',
        body: 'How do I reset my password?',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }).raw,
    );
    dovecot.deliver(
      mail({
        from: 'news@list.example',
        subject: 'Newsletter',
        body: 'How do I reset my password?',
        headers: { 'List-Id': '<news.list.example>', Precedence: 'list' },
      }).raw,
    );
    dovecot.deliver(
      mail({
        from: 'MAILER-DAEMON@mx.customer.example',
        subject: 'Undelivered Mail',
        body: 'How do I reset my password?',
      }).raw,
    );
    dovecot.deliver(mail({ from: `Soporte <${SUPPORT}>`, subject: 'Loop', body: 'How do I reset my password?' }).raw);
    await ticketOf('ooo@customer.example');
    await ticketOf('news@list.example');
    await settled();
    await settled();
    const all = await tickets();
    expect(all.filter((t) => /mailer-daemon|support@/i.test(t.email))).to.deep.equal([]);
    await eventually(async () => (await s.core.mail!.all()).length === 0, { what: 'the mail queue to empty' });
    for (const address of ['ooo@customer.example', 'news@list.example', 'mailer-daemon@mx.customer.example', SUPPORT])
      expect(to(smtp.received, address), address).to.deep.equal([]);
  });

  it('replies to one sender at most EMAIL_AUTOREPLIES_PER_HOUR times; the rest still become tickets', async () => {
    for (let i = 0; i < 5; i++)
      dovecot.deliver(
        mail({ from: 'flood@customer.example', subject: `n${i}`, body: 'How do I reset my password?' }).raw,
      );
    await ticketOf('flood@customer.example', 5);
    await eventually(async () => (await s.core.mail!.all()).length === 0, { what: 'the mail queue to empty' });
    expect(to(smtp.received, 'flood@customer.example')).to.have.length(3);
  });

  it('resumes after a restart from the last UID, processing nothing twice and missing nothing', async () => {
    const before = (await tickets()).length;
    const mailsBefore = smtp.received.length;
    await email!.mailbox.stop();
    dovecot.deliver(
      mail({ from: 'fay@customer.example', subject: 'While down', body: 'How do I reset my password?' }).raw,
    );
    email = await startEmailChannel(s.core, s.deps.config);
    await ticketOf('fay@customer.example');
    await settled();
    expect((await tickets()).length).to.equal(before + 1);
    await repliesTo('fay@customer.example');
    await eventually(async () => (await s.core.mail!.all()).length === 0, { what: 'the mail queue to empty' });
    expect(smtp.received.length).to.equal(mailsBefore + 1);
  });

  it('a changed UIDVALIDITY rescans the unseen messages without processing any twice', async () => {
    const before = (await tickets()).length;
    const mailsBefore = smtp.received.length;
    await email!.mailbox.stop();
    // As if the mailbox had been rebuilt: the kept cursor's UIDVALIDITY is not the server's any more.
    const state = await s.core.channelState();
    const cursor = await readCursor(state, 'INBOX');
    await writeCursor(state, 'INBOX', { uidValidity: `${cursor!.uidValidity}0`, lastUid: 1 });
    // Every message handled so far is flagged \Seen; mark them unseen too, the harder case.
    dovecot.run(['flags', 'remove', '-u', SUPPORT, '\\Seen', 'mailbox', 'INBOX', 'all']);
    dovecot.deliver(mail({ from: 'hal@customer.example', subject: 'After', body: 'How do I reset my password?' }).raw);
    email = await startEmailChannel(s.core, s.deps.config);
    await ticketOf('hal@customer.example');
    await settled();
    expect((await tickets()).length).to.equal(before + 1);
    await eventually(async () => (await s.core.mail!.all()).length === 0, { what: 'the mail queue to empty' });
    expect(smtp.received.length).to.equal(mailsBefore + 1);
    expect((await readCursor(state, 'INBOX'))!.uidValidity).to.equal(cursor!.uidValidity);
  });

  it('the "solved" link: GET only asks, POST solves the ticket and the reports count a confirmed deflection', async () => {
    const report = async () => {
      const res = await fetch(`${s.url}/api/reports/deflection?groupBy=channel`, {
        headers: { Authorization: `Bearer ${LEAD}` },
      });
      const body = (await res.json()) as {
        rows: { key: string; confirmed: number; selfServed: number; escalated: number; questions: number }[];
      };
      return body.rows.find((r) => r.key === 'email')!;
    };
    const start = await report();
    dovecot.deliver(
      mail({ from: 'gil@customer.example', subject: 'Password', body: 'How do I reset my password?' }).raw,
    );
    const [answer] = await repliesTo('gil@customer.example');
    const link = /Yes, it is solved: (\S+)/.exec(answer!.parsed.text!)![1]!.replace('https://help.example.com', s.url);
    const [ticket] = await ticketOf('gil@customer.example');

    const page = await fetch(link);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('<form method="post"');
    expect((await s.core.tickets.get(ticket!.id)).status).to.not.equal('solved');

    const posted = await fetch(link, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(posted.status).to.equal(200);
    expect(await posted.text()).to.contain('marked your request as solved');
    expect((await s.core.tickets.get(ticket!.id)).status).to.equal('solved');

    const end = await report();
    expect(end.questions - start.questions).to.equal(1);
    expect(end.confirmed - start.confirmed).to.equal(1);
    expect(end.selfServed - start.selfServed).to.equal(1);
    expect(end.escalated - start.escalated).to.equal(0);
    // A second POST changes nothing.
    await fetch(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
    expect((await report()).confirmed - start.confirmed).to.equal(1);
    // A wrong token is a 404, as on the follow-up page.
    expect((await fetch(link.replace(/\/[\w-]+\/solved$/, '/wrong-token/solved'))).status).to.equal(404);
  });
});
