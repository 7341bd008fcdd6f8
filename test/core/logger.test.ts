import { expect } from 'chai';
import { redact } from '../../core/logger.ts';

describe('log redaction', () => {
  it('drops fields whose names look secret, at any depth', () => {
    expect(redact({ apiKey: 'k', nested: { password: 'p', Authorization: 'Bearer x', ok: 1 } })).to.deep.equal({
      apiKey: '[redacted]',
      nested: { password: '[redacted]', Authorization: '[redacted]', ok: 1 },
    });
  });
  it('masks e-mail addresses in strings', () => {
    expect(redact('ticket for maria.lopez@example.com opened')).to.equal('ticket for m***@example.com opened');
  });
  it("drops a URL's user and password from strings (an IMAP or SMTP URL quoted in an error)", () => {
    expect(redact('cannot reach imap://support%40x.example:hunter2@mail.x.example:143')).to.equal(
      'cannot reach imap://[redacted]@mail.x.example:143',
    );
  });
});
