import { expect } from 'chai';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { searchDocumentOf } from '../../core/indexing/buildIndex.ts';
import type { FullTextIndex, SearchDocument } from '../../core/search/ports.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { skipWhen } from '../helpers/services.ts';

/**
 * What every FullTextIndex adapter must do, as one suite: the in-process
 * index, the resilient wrapper and Meilisearch answer the same questions
 * with the same expectations. Expectations are about the port's behaviour
 * (who comes first, what filters keep out), not about exact scores.
 */
export interface ContractSubject {
  index: FullTextIndex;
  close?: () => Promise<void>;
}

export type OpenSubject = (docs: SearchDocument[], synonyms: string[][]) => Promise<ContractSubject>;

const PUBLIC = { publishedOnly: true, audiences: ['public' as const] };

const clearQuestions = [
  { question: 'how do I reset my password', lang: 'en' as const, expects: 'reset-password-en' },
  { question: '¿Cómo configuro el VPN en casa?', lang: 'es' as const, expects: 'configurar-vpn' },
  { question: 'add a printer to my laptop', lang: 'en' as const, expects: 'add-printer-en' },
  { question: 'quiero añadir una impresora', lang: 'es' as const, expects: 'anadir-impresora' },
];

export function fullTextContract(name: string, open: OpenSubject, opts: { skip?: () => string | null } = {}): void {
  describe(`FullTextIndex contract: ${name}`, function () {
    let subject: ContractSubject;
    let docs: Map<string, SearchDocument>;

    before(async function () {
      const reason = opts.skip?.();
      skipWhen(reason, this);
      const kb = await loadKnowledgeBase(FIXTURE_KB, { defaultLang: 'en' });
      const list = kb.articles.map(searchDocumentOf);
      docs = new Map(list.map((d) => [d.id, d]));
      expect(docs.get('cancel-order-en')?.status, 'the fixture KB keeps a draft').to.equal('draft');
      expect(docs.get('new-hire-accounts-en')?.audience, 'the fixture KB keeps an internal article').to.equal(
        'internal',
      );
      subject = await open(list, kb.synonyms);
    });

    after(async () => subject?.close?.());

    for (const c of clearQuestions) {
      it(`puts ${c.expects} first for "${c.question}"`, async () => {
        const hits = await subject.index.search(c.question, { lang: c.lang, filter: PUBLIC, limit: 5 });
        expect(hits[0]?.id).to.equal(c.expects);
      });
    }

    it('ranks best first, with scores that never go up', async () => {
      const hits = await subject.index.search('password', { lang: 'en', filter: PUBLIC, limit: 10 });
      expect(hits.length).to.be.greaterThan(1);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).to.be.at.most(hits[i - 1]!.score);
    });

    it('respects the limit', async () => {
      const hits = await subject.index.search('order', { lang: 'en', filter: PUBLIC, limit: 2 });
      expect(hits.length).to.be.at.most(2);
    });

    it('keeps to the languages asked for', async () => {
      const hits = await subject.index.search('vpn', { lang: 'es', filter: { ...PUBLIC, langs: ['es'] }, limit: 10 });
      expect(hits.length).to.be.greaterThan(0);
      for (const h of hits) expect(docs.get(h.id)?.lang, h.id).to.equal('es');
    });

    it('keeps to the tags asked for', async () => {
      const hits = await subject.index.search('password account', {
        lang: 'en',
        filter: { ...PUBLIC, tags: ['password'] },
        limit: 10,
      });
      expect(hits.length).to.be.greaterThan(0);
      for (const h of hits) expect(docs.get(h.id)?.tags, h.id).to.include('password');
    });

    it('never returns drafts to users', async () => {
      for (const filter of [PUBLIC, undefined]) {
        const hits = await subject.index.search('cancel an order', { lang: 'en', filter, limit: 20 });
        expect(hits.map((h) => h.id)).not.to.include('cancel-order-en');
      }
    });

    it('returns drafts when asked (agents only)', async () => {
      const hits = await subject.index.search('cancel an order', {
        lang: 'en',
        filter: { publishedOnly: false },
        limit: 20,
      });
      expect(hits.map((h) => h.id)).to.include('cancel-order-en');
    });

    it('keeps internal articles from the public, and finds them for staff', async () => {
      const question = 'create accounts for a new hire';
      const publicHits = await subject.index.search(question, { lang: 'en', filter: PUBLIC, limit: 20 });
      expect(publicHits.map((h) => h.id)).not.to.include('new-hire-accounts-en');
      const staffHits = await subject.index.search(question, {
        lang: 'en',
        filter: { publishedOnly: true, audiences: ['public', 'internal'] },
        limit: 5,
      });
      expect(staffHits[0]?.id).to.equal('new-hire-accounts-en');
    });

    it('honours excludeIds', async () => {
      const hits = await subject.index.search('how do I reset my password', {
        lang: 'en',
        filter: { ...PUBLIC, excludeIds: new Set(['reset-password-en']) },
        limit: 10,
      });
      expect(hits.map((h) => h.id)).not.to.include('reset-password-en');
    });

    it('finds nothing for a question without words (never "everything")', async () => {
      expect(await subject.index.search('¿?', { lang: 'en', filter: PUBLIC, limit: 5 })).to.deep.equal([]);
    });

    it('suggests titles from a prefix while the user types', async () => {
      const en = await subject.index.suggest('reset pass', { lang: 'en', filter: PUBLIC, limit: 3 });
      expect(en.map((h) => h.id)).to.include('reset-password-en');
      const es = await subject.index.suggest('impreso', { lang: 'es', filter: PUBLIC, limit: 3 });
      expect(es.map((h) => h.id)).to.include('anadir-impresora');
      for (const h of es) expect(docs.get(h.id)?.lang).to.equal('es');
    });

    it('never suggests drafts', async () => {
      const hits = await subject.index.suggest('cancel', { lang: 'en', filter: PUBLIC, limit: 10 });
      expect(hits.map((h) => h.id)).not.to.include('cancel-order-en');
    });

    it('counts its documents', () => {
      expect(subject.index.count()).to.equal(docs.size);
    });
  });
}
