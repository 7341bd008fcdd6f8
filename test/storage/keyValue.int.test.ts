import { expect } from 'chai';
import { ETagConflictError } from '../../core/storage/keyValueStore.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';

describeStorageContract('KeyValueRepository (channel state)', (pair) => {
  const stores = async () => ({ a: await pair().a.channelState(), b: await pair().b.channelState() });

  it('a write is read back with its eTag, on either instance', async () => {
    const { a, b } = await stores();
    const tags = await a.put([{ key: 'emulator/conversations/c1', value: { lang: 'es' } }]);
    expect(await b.get('emulator/conversations/c1')).to.deep.equal({
      value: { lang: 'es' },
      eTag: tags['emulator/conversations/c1'],
    });
    expect(await b.get('missing')).to.equal(undefined);
  });

  it('a write with the current eTag succeeds and gives a new one; a stale eTag is refused and changes nothing', async () => {
    const { a, b } = await stores();
    const first = (await a.put([{ key: 'k', value: { n: 1 } }])).k!;
    const second = (await b.put([{ key: 'k', value: { n: 2 }, ifMatch: first }])).k!;
    expect(second).to.not.equal(first);
    const error = await a.put([{ key: 'k', value: { n: 3 }, ifMatch: first }]).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ETagConflictError);
    expect(await a.get('k')).to.deep.equal({ value: { n: 2 }, eTag: second });
  });

  it('of two writers holding the same eTag exactly one wins', async () => {
    const { a, b } = await stores();
    const tag = (await a.put([{ key: 'k', value: { n: 0 } }])).k!;
    const results = await Promise.allSettled([
      a.put([{ key: 'k', value: { by: 'a' }, ifMatch: tag }]),
      b.put([{ key: 'k', value: { by: 'b' }, ifMatch: tag }]),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)[0],
    ).to.be.instanceOf(ETagConflictError);
  });

  it("'*' or no eTag overwrites; a missing entry accepts any eTag", async () => {
    const { a } = await stores();
    await a.put([{ key: 'k', value: { n: 1 } }]);
    await a.put([{ key: 'k', value: { n: 2 }, ifMatch: '*' }]);
    await a.put([{ key: 'new', value: { n: 1 }, ifMatch: '12345' }]);
    expect((await a.get('k'))!.value).to.deep.equal({ n: 2 });
    expect((await a.get('new'))!.value).to.deep.equal({ n: 1 });
  });

  it('a batch with one stale eTag writes none of its changes', async () => {
    const { a } = await stores();
    const tag = (await a.put([{ key: 'k', value: { n: 1 } }])).k!;
    await a.put([{ key: 'k', value: { n: 2 }, ifMatch: tag }]);
    const error = await a
      .put([
        { key: 'other', value: { n: 1 } },
        { key: 'k', value: { n: 3 }, ifMatch: tag },
      ])
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ETagConflictError);
    expect(await a.get('other')).to.equal(undefined);
  });

  it('delete and eraseWhere remove entries for every instance', async () => {
    const { a, b } = await stores();
    await a.put([
      { key: 'k1', value: { email: 'ana@example.com' } },
      { key: 'k2', value: { email: 'bob@example.com' } },
      { key: 'k3', value: {} },
    ]);
    await b.delete(['k3']);
    expect(await b.eraseWhere((_key, value) => JSON.stringify(value).includes('ana@'))).to.equal(1);
    expect(await a.get('k1')).to.equal(undefined);
    expect(await a.get('k3')).to.equal(undefined);
    expect((await a.get('k2'))!.value).to.deep.equal({ email: 'bob@example.com' });
  });
});
