import { expect } from 'chai';
import { constants, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

describe('EventLog reads a day back', () => {
  it('a line at a time: lines longer than a read and cut inside a character, blank and torn lines skipped', async () => {
    const dir = tempDir('deflect-eventlog-');
    const log = new EventLog(dir.dir);
    try {
      await log.init();
      const day = '2026-03-01';
      const event = (conversationId: string, text: string, at = `${day}T10:00:00.000Z`) => ({
        ...question(conversationId),
        id: conversationId,
        at,
        question: text,
      });
      // A first line that ends so the second's "€" (3 bytes) straddles the first megabyte's end, a line of
      // 2.5 MB, accents and an emoji, a blank line, and a last line torn by a crash (no line feed).
      const second = event('b', '€ olvidé mi contraseña 👍');
      const euroAt = Buffer.byteLength(JSON.stringify(second).split('€')[0]!);
      const bare = Buffer.byteLength(JSON.stringify({ ...event('a', 'x'), reply: '' }));
      const first = JSON.stringify({ ...event('a', 'x'), reply: 'z'.repeat((1 << 20) - 1 - euroAt - 1 - bare) });
      expect(Buffer.byteLength(first) + 1 + euroAt).to.equal((1 << 20) - 1);
      const lines = [
        first,
        JSON.stringify(second),
        JSON.stringify(event('c', 'ñ'.repeat(1_250_000))),
        '',
        JSON.stringify(event('d', 'café', `${day}T12:00:00.000Z`)),
      ];
      const text = `${lines.join('\n')}\n${JSON.stringify(event('e', 'torn')).slice(0, 40)}`;
      writeFileSync(path.join(dir.dir, `${day}.jsonl`), text);
      // Every character of every line read back as written, whatever piece it fell in.
      const read = await log.readDay(day);
      expect(read.map((e) => e.conversationId)).to.deep.equal(['a', 'b', 'c', 'd']);
      expect(read.map((e) => (e.type === 'question' ? e.question : ''))).to.deep.equal([
        'x',
        second.question,
        'ñ'.repeat(1_250_000),
        'café',
      ]);
      expect(Buffer.byteLength(text)).to.be.greaterThan(3 << 20);
      // The same events through read(), within a time window; a day with no file has none.
      const ids: string[] = [];
      for await (const e of log.read(`${day}T11:00:00.000Z`, `${day}T13:00:00.000Z`)) ids.push(e.conversationId!);
      expect(ids).to.deep.equal(['d']);
      expect(await log.readDay('2026-03-02')).to.deep.equal([]);
    } finally {
      await log.close();
      dir.cleanup();
    }
  });
});
