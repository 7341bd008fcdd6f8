import { expect } from 'chai';
import { MiniSearchIndex } from '../../core/search/miniSearchIndex.ts';
import type { SearchDocument } from '../../core/search/ports.ts';

/** A document with overrides (Outline's builder habit). */
function doc(overrides: Partial<SearchDocument> & Pick<SearchDocument, 'id'>): SearchDocument {
  return {
    lang: 'en',
    title: 'Reset your password',
    questions: ['I forgot my password'],
    headings: ['Steps'],
    body: 'Open the sign-in page and choose reset password.',
    tags: ['account'],
    status: 'published',
    audience: 'public',
    ...overrides,
  };
}

const DOCS = [
  doc({ id: 'reset-password-en' }),
  doc({ id: 'reset-password-es', lang: 'es', title: 'Restablecer la contraseña', questions: ['olvidé mi contraseña'] }),
  doc({ id: 'vpn-en', title: 'Connect to the VPN', questions: ['vpn does not connect'], tags: ['network'] }),
  doc({ id: 'draft-en', title: 'Password rules (draft)', status: 'draft' }),
  doc({ id: 'staff-en', title: 'Reset a user password', audience: 'internal', tags: ['admin'] }),
];

const QUERIES: [string, Parameters<MiniSearchIndex['search']>[1]][] = [
  ['reset password', { lang: 'en', limit: 10 }],
  ['contraseña', { lang: 'es', limit: 10 }],
  ['password', { lang: 'en', limit: 10, filter: { publishedOnly: false, audiences: ['internal'] } }],
  ['vpn', { lang: 'en', limit: 10, filter: { tags: ['network'] } }],
];

async function hitsOf(index: MiniSearchIndex): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const [q, opts] of QUERIES) out.push(await index.search(q, opts), await index.suggest(q, { limit: 5 }));
  return out;
}

describe('MiniSearchIndex: what it stores with each document', () => {
  it('stores only what the filters read (language, tags, status, audience): not the raw title', () => {
    const stored = JSON.parse(MiniSearchIndex.build(DOCS).toJSON()) as { storedFields: Record<string, object> };
    const fields = Object.values(stored.storedFields).map((f) => Object.keys(f).sort());
    expect(fields).to.have.length(DOCS.length);
    for (const f of fields) expect(f).to.deep.equal(['audience', 'lang', 'status', 'tagList']);
  });

  it('loads an index stored with the raw titles (written before) with the same hits', async () => {
    const json = MiniSearchIndex.build(DOCS).toJSON();
    const older = JSON.parse(json) as { storedFields: Record<string, Record<string, unknown>>; documentIds: object };
    const ids = older.documentIds as Record<string, string>;
    for (const [short, fields] of Object.entries(older.storedFields))
      fields.titleRaw = DOCS.find((d) => d.id === ids[short])!.title;
    const hits = await hitsOf(MiniSearchIndex.fromJSON(json));
    expect(hits.flat(2).length).to.be.greaterThan(4);
    expect(await hitsOf(MiniSearchIndex.fromJSON(JSON.stringify(older)))).to.deep.equal(hits);
  });
});
