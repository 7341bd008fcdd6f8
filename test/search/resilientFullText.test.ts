import { expect } from 'chai';
import type { FullTextHit, FullTextIndex } from '../../core/search/ports.ts';
import {
  ResilientFullTextIndex,
  SearchHealth,
  type AbortableFullTextIndex,
} from '../../core/search/resilientFullTextIndex.ts';
import { eventually } from '../helpers/eventually.ts';

/** A remote engine the test steers: answer, fail, or hang until aborted. */
function remote(): AbortableFullTextIndex & { mode: 'ok' | 'fail' | 'hang'; calls: number; aborted: number } {
  const r = {
    kind: 'remote',
    mode: 'ok' as 'ok' | 'fail' | 'hang',
    calls: 0,
    aborted: 0,
    count: () => 7,
    async search(_q: string, o: { signal?: AbortSignal }): Promise<FullTextHit[]> {
      r.calls++;
      if (r.mode === 'fail')
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7700'), { name: 'MeilisearchRequestError' });
      if (r.mode === 'hang') {
        return new Promise((_, reject) =>
          o.signal?.addEventListener('abort', () => {
            r.aborted++;
            reject(new Error('aborted'));
          }),
        );
      }
      return [{ id: 'from-remote', score: 1, matched: [] }];
    },
    async suggest(q: string, o: { signal?: AbortSignal }) {
      return r.search(q, o);
    },
  };
  return r;
}

const local: FullTextIndex = {
  kind: 'local',
  count: () => 3,
  search: async () => [{ id: 'from-local', score: 1, matched: [] }],
  suggest: async () => [{ id: 'from-local', score: 1, matched: [] }],
};

const until = (check: () => boolean, what: string) => eventually(check, { timeoutMs: 5_000, intervalMs: 10, what });

describe('ResilientFullTextIndex: a remote engine with the in-process index behind it', () => {
  const ask = (index: FullTextIndex) => index.search('q', { lang: 'en', limit: 5 });
  let health: SearchHealth;
  afterEach(() => health?.close());

  it('answers from the remote engine while it is healthy', async () => {
    const r = remote();
    health = new SearchHealth('meilisearch', 'in-process', async () => undefined, 10);
    const index = new ResilientFullTextIndex(() => r, local, health, 1000);
    expect((await ask(index))[0]!.id).to.equal('from-remote');
    expect(index.count()).to.equal(7);
    expect(health.report()).to.deep.equal({ engine: 'meilisearch', state: 'ok' });
  });

  it('answers the failing request from the fallback and turns degraded, naming the reason', async () => {
    const r = remote();
    r.mode = 'fail';
    health = new SearchHealth('meilisearch', 'in-process', () => Promise.reject(new Error('still down')), 60_000);
    const index = new ResilientFullTextIndex(() => r, local, health, 1000);
    expect((await ask(index))[0]!.id).to.equal('from-local');
    const report = health.report();
    expect(report.state).to.equal('degraded');
    expect(report.fallback).to.equal('in-process');
    expect(report.reason).to.include('MeilisearchRequestError');
    // While degraded, requests do not wait on the engine at all.
    await ask(index);
    expect(r.calls).to.equal(1);
    expect(index.count()).to.equal(3);
  });

  it('gives up on a slow engine after the timeout, aborts the call, and answers locally', async () => {
    const r = remote();
    r.mode = 'hang';
    health = new SearchHealth('meilisearch', 'in-process', () => Promise.reject(new Error('still slow')), 60_000);
    const index = new ResilientFullTextIndex(() => r, local, health, 50);
    expect((await ask(index))[0]!.id).to.equal('from-local');
    expect(r.aborted).to.equal(1);
    expect(health.report().reason).to.include('TimeoutError');
  });

  it('recovers without a restart once a probe succeeds', async () => {
    const r = remote();
    r.mode = 'fail';
    let up = false;
    health = new SearchHealth(
      'meilisearch',
      'in-process',
      async () => {
        if (!up) throw new Error('still down');
      },
      10,
    );
    const index = new ResilientFullTextIndex(() => r, local, health, 1000);
    await ask(index);
    expect(health.ok).to.equal(false);
    r.mode = 'ok';
    up = true;
    await until(() => health.ok, 'healthy again');
    expect((await ask(index))[0]!.id).to.equal('from-remote');
  });

  it('answers locally while the engine was never reached (start-up while it is down)', async () => {
    health = new SearchHealth('meilisearch', 'in-process', () => Promise.reject(new Error('down')), 60_000);
    health.failed(new Error('connect ECONNREFUSED'));
    const index = new ResilientFullTextIndex(() => null, local, health, 1000);
    expect((await index.suggest('q', { limit: 3 }))[0]!.id).to.equal('from-local');
  });
});
