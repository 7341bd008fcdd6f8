import { expect } from 'chai';
import { constants, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { EventLog } from '../../core/events/eventLog.ts';
import { tempDir } from '../helpers/tempDir.ts';

const question = (conversationId: string) => ({
  type: 'question' as const,
  conversationId,
  channel: 'widget' as const,
  lang: 'en' as const,
  question: 'how do I reset my password?',
  action: 'ticket' as const,
  shown: [],
  ranked: [],
  reply: 'x',
});

describe('EventLog appends', () => {
  it('are acknowledged only once on disk: the day file is written with O_SYNC, one write per batch', async function () {
    // /proc/self/fdinfo shows the flags a file was opened with (Linux).
    if (process.platform !== 'linux') this.skip();
    const dir = tempDir('deflect-eventlog-');
    const log = new EventLog(dir.dir);
    try {
      await log.init();
      await Promise.all(['a', 'b', 'c'].map((c) => log.append(question(c))));
      // Today's file stays open between batches: find its descriptor.
      const fd = readdirSync('/proc/self/fd').find((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir.dir);
        } catch {
          return false;
        }
      });
      expect(fd, 'the open day file').to.be.a('string');
      const flags = parseInt(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').match(/flags:\s+(\d+)/)![1]!, 8);
      expect(flags & constants.O_SYNC).to.equal(constants.O_SYNC);
      expect((await log.readDay(new Date().toISOString().slice(0, 10))).map((e) => e.conversationId)).to.deep.equal([
        'a',
        'b',
        'c',
      ]);
    } finally {
      await log.close();
      dir.cleanup();
    }
  });
});
