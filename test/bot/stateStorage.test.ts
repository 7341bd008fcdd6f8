import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import type { StoreItem } from 'botbuilder';
import { KeyValueStore } from '../../core/storage/keyValueStore.ts';
import { StateStorage } from '../../bot/stateStorage.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('Bot state storage (botbuilder Storage over a durable file)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  const open =
    (ttlDays = 30) =>
    () =>
      KeyValueStore.open<StoreItem>(file, { ttlDays });
  beforeEach(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, 'bot-state.json');
  });
  afterEach(() => tmp.cleanup());

  it('reads back what was written, with an eTag, and only the keys asked for', async () => {
    const storage = new StateStorage(open());
    await storage.write({
      'emulator/conversations/a': { step: 'email' },
      'emulator/conversations/b': { step: 'confirm' },
    });
    const items = await storage.read(['emulator/conversations/a', 'emulator/conversations/missing']);
    expect(Object.keys(items)).to.deep.equal(['emulator/conversations/a']);
    expect(items['emulator/conversations/a'])
      .to.include({ step: 'email' })
      .and.to.have.property('eTag')
      .that.is.a('string');
  });

  it('overwrites with eTag "*" or none, and refuses a stale eTag without writing anything', async () => {
    const storage = new StateStorage(open());
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k!;
    await storage.write({ k: { v: 2, eTag: first.eTag } });
    await storage.write({ k: { v: 3, eTag: '*' } });
    await storage.write({ k: { v: 4 } });
    let error: unknown;
    try {
      await storage.write({ other: { v: 1 }, k: { v: 5, eTag: first.eTag } });
    } catch (e) {
      error = e;
    }
    expect(error).to.have.property('code', 'conflict');
    const items = await storage.read(['k', 'other']);
    expect(items.k).to.include({ v: 4 });
    expect(items.other, 'a refused batch writes nothing').to.equal(undefined);
  });

  it('does not share objects with the caller: changing what was read changes nothing stored', async () => {
    const storage = new StateStorage(open());
    await storage.write({ k: { nested: { v: 1 } } });
    const read = await storage.read(['k']);
    read.k!.nested.v = 2;
    expect((await storage.read(['k'])).k!.nested).to.deep.equal({ v: 1 });
  });

  it('deletes', async () => {
    const storage = new StateStorage(open());
    await storage.write({ k: { v: 1 } });
    await storage.delete(['k', 'never-there']);
    expect(await storage.read(['k'])).to.deep.equal({});
  });

  it('survives a restart (a new store over the same file)', async () => {
    await new StateStorage(open()).write({
      'msteams/conversations/x': { ticket: { step: 'confirm', email: 'ana@example.com' } },
    });
    const items = await new StateStorage(open()).read(['msteams/conversations/x']);
    expect(items['msteams/conversations/x']).to.deep.include({ ticket: { step: 'confirm', email: 'ana@example.com' } });
  });

  it('drops state idle for longer than the TTL when it opens', async () => {
    await new StateStorage(open()).write({ old: { v: 1 }, fresh: { v: 2 } });
    const data = JSON.parse(readFileSync(file, 'utf8'));
    for (const [key, entry] of data.entries)
      if (key === 'old') entry.updatedAt = new Date(Date.now() - 31 * 86_400_000).toISOString();
    writeFileSync(file, JSON.stringify(data));
    const items = await new StateStorage(open(30)).read(['old', 'fresh']);
    expect(Object.keys(items)).to.deep.equal(['fresh']);
  });

  it('keeps keys that look like object internals as plain keys', async () => {
    const storage = new StateStorage(open());
    await storage.write(JSON.parse('{"__proto__": {"v": 1}, "constructor": {"v": 2}}'));
    const items = await storage.read(['__proto__', 'constructor']);
    expect(Object.keys(items)).to.deep.equal(['__proto__', 'constructor']);
    expect(items['__proto__']).to.include({ v: 1 });
    expect(({} as Record<string, unknown>).v, 'Object.prototype untouched').to.equal(undefined);
  });
});
