import { expect } from 'chai';
import { eraseUser } from '../../core/commands/eraseUser.ts';
import { webhookSinkOf } from '../../core/tickets/createSinks.ts';
import { openTestCore, type TestCore } from '../helpers/core.ts';

describe('createCore: every store built once, in the service bag', function () {
  this.timeout(60_000);
  let h: TestCore;
  before(async () => {
    h = await openTestCore({
      env: { WEBHOOK_URL: 'http://127.0.0.1:9/hook', WEBHOOK_SECRET: 'a-webhook-secret-of-16+' },
    });
  });
  after(async () => {
    await h?.close();
  });

  it('the webhook enqueues into the one delivery queue an erasure scrubs', () => {
    expect(webhookSinkOf(h.core.sinks)?.queue).to.equal(h.core.deliveries);
  });

  it('the channel state is opened once, and is the store an erasure reaches', async () => {
    const state = await h.core.channelState();
    expect(await h.core.channelState()).to.equal(state);
    await state.put([{ key: 'emulator/users/u-1', value: { userId: 'u-1', email: 'ines@example.com' } }]);
    const result = await eraseUser(h.core, { email: 'ines@example.com' });
    expect(result.counts.channelStates).to.equal(1);
    expect(await state.get('emulator/users/u-1')).to.equal(undefined);
  });
});
