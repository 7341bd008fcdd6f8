import { expect } from 'chai';
import { loadConfig } from '../../core/config/index.ts';
import type { OutgoingMail } from '../../core/mail/composeMail.ts';
import { openToken, sealToken } from '../../core/mail/linkSeal.ts';
import { createMailSender } from '../../core/mail/mailSender.ts';
import { DeliveryWorker } from '../../core/tickets/deliveryWorker.ts';
import { eventually } from '../helpers/eventually.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';
import { startSmtpReceiver } from './smtpReceiver.ts';

const mail = (n: number): OutgoingMail => ({
  ticketId: `T-${String(n).padStart(6, '0')}`,
  to: { address: `user${n}@example.com` },
  subject: `Mail ${n}`,
  text: `Mail number ${n}\n`,
  html: `<p>Mail number ${n}</p>`,
  messageId: `<deflect.mail-${n}@example.com>`,
});

/**
 * The customer's e-mails are deliveries of their own queue (issue 17): kept
 * apart from the webhooks' in both adapters, sent once each by whichever
 * instance claims them, and the key that seals follow-up links is one key
 * for every instance.
 */
describeStorageContract('the mail queue', (pair) => {
  const workers: DeliveryWorker[] = [];
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>> | undefined;
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await smtp?.close();
    smtp = undefined;
  });

  it('keeps mails and webhook deliveries apart', async () => {
    const m = await pair().a.mail.enqueue({ event: 'mail.created', payload: { ticketId: 'T-000001', mail: mail(1) } });
    const w = await pair().a.deliveries.enqueue({ event: 'ticket.created', payload: { ticket: { id: 'T-000002' } } });
    expect((await pair().b.mail.all()).map((d) => d.id)).to.deep.equal([m.id]);
    expect((await pair().b.deliveries.all()).map((d) => d.id)).to.deep.equal([w.id]);
    expect(await pair().b.deliveries.claim('x', { limit: 10, leaseMs: 60_000 })).to.have.length(1);
    expect((await pair().b.mail.claim('x', { limit: 10, leaseMs: 60_000 })).map((d) => d.id)).to.deep.equal([m.id]);
  });

  it('sends each mail once, whichever instance claims it', async () => {
    smtp = await startSmtpReceiver();
    const config = loadConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'help@example.com', MAIL_BACKOFF_MS: '20' });
    for (const stores of [pair().a, pair().b])
      workers.push(new DeliveryWorker(stores.mail, createMailSender(config.mail, 'unused'), { pollMs: 50 }).start());
    const n = 20;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        (i % 2 ? pair().a : pair().b).mail.enqueue({ event: 'mail.reply', payload: { ticketId: 'T', mail: mail(i) } }),
      ),
    );
    await eventually(async () => (await pair().a.mail.all()).length === 0, { timeoutMs: 30_000 });
    const ids = smtp.received.map((r) => r.parsed.messageId);
    expect(ids).to.have.length(n);
    expect(new Set(ids).size).to.equal(n);
  });

  it('gives every instance the same link key, so a link sealed on one opens on the other', async () => {
    const [a, b] = await Promise.all([pair().a.mailLinkKey(), pair().b.mailLinkKey()]);
    expect(a.equals(b)).to.equal(true);
    expect(a).to.have.length(32);
    const sealed = sealToken(a, 'T-000001', 'the-token');
    expect(openToken(b, 'T-000001', sealed)).to.equal('the-token');
    expect(openToken(b, 'T-000002', sealed), 'moved to another ticket').to.equal(null);
  });
});
