import { expect } from 'chai';
import { eraseUser } from '../../core/commands/eraseUser.ts';
import { openTicket } from '../../core/commands/openTicket.ts';
import { eventually } from '../helpers/eventually.ts';
import { openTestCore, type TestCore } from '../helpers/core.ts';

/** An erasure (issue 17's mail meets the privacy rules): a mail still owed to the person is dropped, not sent later. */
describe('erasing a person drops the e-mails still owed to them', function () {
  this.timeout(60_000);
  let h: TestCore;

  before(async () => {
    // Port 9 on loopback refuses: every mail waits for a retry an hour away.
    h = await openTestCore({ env: { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_BACKOFF_MS: '3600000' } });
  });
  after(async () => await h?.close());

  it('drops the waiting mail of the erased address and keeps the others', async () => {
    await openTicket(h.core, { channel: 'api', email: 'ines@example.com', description: 'Laptop' });
    await openTicket(h.core, { channel: 'api', email: 'juan@example.com', description: 'Phone' });
    const owed = await eventually(async () => {
      const all = await h.core.mail!.all();
      return all.length === 2 && all.every((d) => d.attempts === 1 && d.lastError) && all;
    });
    expect(owed.map((d) => (d.payload.mail as { to: { address: string } }).to.address).sort()).to.deep.equal([
      'ines@example.com',
      'juan@example.com',
    ]);
    await eraseUser(h.core, { email: 'ines@example.com' });
    const left = await h.core.mail!.all();
    expect(left.map((d) => (d.payload.mail as { to: { address: string } }).to.address)).to.deep.equal([
      'juan@example.com',
    ]);
  });
});
