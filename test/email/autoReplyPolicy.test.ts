import { expect } from 'chai';
import { noAutoReplyReason } from '../../core/email/autoReplyPolicy.ts';
import { replyAddressOf, replyTokenOf, ticketOfReplyToken, tokenInAddress } from '../../core/mail/replyToken.ts';
import { loadConfig, ConfigError } from '../../core/config/index.ts';

const OURS = { addresses: ['support@help.example.com'], messageIdDomain: 'help.example.com' };
const base = {
  contentType: 'text/plain',
  from: { address: 'ana@customer.example' },
  messageId: '<1@customer.example>',
};

/** Which mail gets no automatic reply, and why (core/email/autoReplyPolicy.ts). */
describe('e-mail in: which messages get no automatic reply', () => {
  const cases: {
    description: string;
    mail: Partial<typeof base> & { headers?: Record<string, string> };
    expects: string | null;
  }[] = [
    { description: 'a person writing', mail: {}, expects: null },
    { description: 'Auto-Submitted: no', mail: { headers: { 'auto-submitted': 'no' } }, expects: null },
    {
      description: 'an out-of-office reply',
      mail: { headers: { 'auto-submitted': 'auto-replied' } },
      expects: 'auto_submitted',
    },
    {
      description: 'a notification',
      mail: { headers: { 'auto-submitted': 'auto-generated' } },
      expects: 'auto_submitted',
    },
    { description: 'Precedence: bulk', mail: { headers: { precedence: 'bulk' } }, expects: 'bulk' },
    { description: 'Precedence: junk', mail: { headers: { precedence: 'Junk' } }, expects: 'bulk' },
    { description: 'Precedence: list', mail: { headers: { precedence: 'list' } }, expects: 'bulk' },
    { description: 'a list message (List-Id)', mail: { headers: { 'list-id': '<news.example>' } }, expects: 'list' },
    { description: 'List-Unsubscribe', mail: { headers: { 'list-unsubscribe': '<mailto:x@y>' } }, expects: 'list' },
    { description: 'an empty Return-Path', mail: { headers: { 'return-path': '<>' } }, expects: 'bounce' },
    { description: 'MAILER-DAEMON', mail: { from: { address: 'MAILER-DAEMON@mx.example' } }, expects: 'bounce' },
    { description: 'a delivery report', mail: { contentType: 'multipart/report' }, expects: 'bounce' },
    { description: 'our From address', mail: { from: { address: 'Support@help.example.com' } }, expects: 'own' },
    { description: 'our Message-ID', mail: { messageId: '<deflect.T-000001.abc@help.example.com>' }, expects: 'own' },
    {
      description: 'a colleague on our domain (an IT help desk)',
      mail: { from: { address: 'luis@help.example.com' }, messageId: '<CAxyz@help.example.com>' },
      expects: null,
    },
  ];
  for (const c of cases)
    it(`${c.description} → ${c.expects ?? 'a reply'}`, () => {
      expect(noAutoReplyReason({ ...base, headers: {}, ...c.mail }, OURS)).to.equal(c.expects);
    });
});

describe('e-mail in: the +token of the Reply-To', () => {
  const key = Buffer.alloc(32, 7);
  it('names the ticket, and only under our key', () => {
    const token = replyTokenOf(key, 'T-000042');
    expect(token).to.match(/^t000042-[0-9a-f]{12}$/);
    expect(ticketOfReplyToken(key, token)).to.equal('T-000042');
    expect(ticketOfReplyToken(Buffer.alloc(32, 8), token)).to.equal(null);
    expect(ticketOfReplyToken(key, token.replace('t000042', 't000043'))).to.equal(null);
  });
  it('is read back from the address it was sent to, on our address only', () => {
    const address = replyAddressOf('support@help.example.com', 't000042-0123456789ab');
    expect(address).to.equal('support+t000042-0123456789ab@help.example.com');
    expect(tokenInAddress(address.toUpperCase(), 'support@help.example.com')).to.equal('t000042-0123456789ab');
    expect(tokenInAddress('support+x@other.example', 'support@help.example.com')).to.equal(null);
    expect(tokenInAddress('support@help.example.com', 'support@help.example.com')).to.equal(null);
  });
});

describe('e-mail in: configuration', () => {
  it('IMAP_URL gives the server, the credentials and the support address', () => {
    const c = loadConfig({
      IMAP_URL: 'imaps://support%40x.example:p%40ss@mail.x.example',
      MAIL_FROM: 'S <Support@x.example>',
    });
    expect(c.email?.imap).to.deep.equal({
      host: 'mail.x.example',
      port: 993,
      secure: true,
      user: 'support@x.example',
      pass: 'p@ss',
    });
    expect(c.email?.address).to.equal('support@x.example');
    expect(c.email?.autoRepliesPerHour).to.equal(5);
    expect(loadConfig({}).email).to.equal(undefined);
  });
  it('refuses a URL without credentials, and never echoes IMAP_URL', () => {
    expect(() => loadConfig({ IMAP_URL: 'imap://mail.x.example' })).to.throw(
      ConfigError,
      /IMAP_URL: must name the user/,
    );
    try {
      loadConfig({ IMAP_URL: 'http://u:secret-pw@x' });
      expect.fail('accepted');
    } catch (error) {
      expect((error as Error).message)
        .to.contain('IMAP_URL')
        .and.not.contain('secret-pw');
    }
  });
});
