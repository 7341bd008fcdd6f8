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

  it('counts an empty field one term long, as every snapshot so far', () => {
    const json = MiniSearchIndex.build([doc({ id: 'bare', headings: [], tags: [], body: 'the' })]).toJSON();
    const { fieldLength, fieldIds } = JSON.parse(json) as {
      fieldLength: Record<string, number[]>;
      fieldIds: Record<string, number>;
    };
    const lengths = fieldLength['0']!;
    expect([lengths[fieldIds.headings!], lengths[fieldIds.body!]]).to.deep.equal([1, 1]);
    expect(lengths[fieldIds.title!]).to.equal(2);
  });
});

describe('MiniSearchIndex: its stored text, read a line at a time', () => {
  const oneLine = (index: MiniSearchIndex) => JSON.stringify(JSON.parse(index.toJSON()));

  it("is one JSON text, MiniSearch's own, with each indexed term on a line of its own after the other fields", () => {
    const text = MiniSearchIndex.build(DOCS).toJSON();
    const lines = text.split('\n');
    const parsed = JSON.parse(text) as { index: [string, object][]; documentCount: number };
    expect(parsed.documentCount).to.equal(DOCS.length);
    expect(parsed.index.length).to.be.greaterThan(10);
    expect(lines).to.have.length(parsed.index.length + 2);
    expect(lines[0]).to.match(/"index":\[$/);
    expect(lines.slice(1, -1).map((l) => JSON.parse(l.replace(/,$/, '')) as unknown)).to.deep.equal(parsed.index);
    expect(lines.at(-1)).to.equal(']}');
  });

  // A loaded index iterates its terms in the stored order, unlike the one built (see kbIndex.ts), so loaded ones compare.
  it('loads from its lines, given one by one, the index MiniSearch loads from its own JSON on one line', async () => {
    const built = MiniSearchIndex.build(DOCS);
    const whole = MiniSearchIndex.fromJsonLines([oneLine(built)]);
    const byLine = MiniSearchIndex.fromJsonLines(built.toJSON().split('\n'));
    expect(byLine.toJSON()).to.equal(whole.toJSON());
    expect(MiniSearchIndex.fromJSON(built.toJSON()).toJSON()).to.equal(whole.toJSON());
    expect((await hitsOf(byLine)).flat(2).length).to.be.greaterThan(4);
    expect(await hitsOf(byLine)).to.deep.equal(await hitsOf(whole));
  });

  for (const [way, load] of [
    ['at once', (lines: Iterable<string>) => Promise.resolve().then(() => MiniSearchIndex.fromJsonLines(lines))],
    ['in slices', (lines: Iterable<string>) => MiniSearchIndex.fromJsonLinesInSlices(lines)],
  ] as const)
    it(`reads the terms as they come, and throws on a text cut short, closing its source of lines either way (${way})`, async () => {
      const lines = MiniSearchIndex.build(DOCS).toJSON().split('\n');
      for (const end of [lines.length, lines.length - 1, 3, 1, 0]) {
        let read = 0;
        let closed = false;
        const source = (function* () {
          try {
            for (const line of lines.slice(0, end)) {
              read++;
              yield line;
            }
            // What follows the last term is not asked for.
            yield 'not read';
          } finally {
            closed = true;
          }
        })();
        const loaded = await load(source).catch((error: Error) => error);
        if (end === lines.length) expect((loaded as MiniSearchIndex).count()).to.equal(DOCS.length);
        else expect(loaded).to.be.instanceOf(SyntaxError);
        expect(read).to.equal(end);
        expect(closed).to.equal(true);
      }
    });

  it('loads in slices the very index it loads at once, letting timers run between the slices', async () => {
    // Past a thousand terms, and a thousand postings of a term, MiniSearch's loader lets the event loop go.
    const many = Array.from({ length: 1200 }, (_, i) =>
      doc({ id: `printer-${i}`, title: `Printer ${i} jams`, body: `Model x${i} feeds paper twice.` }),
    );
    const text = MiniSearchIndex.build(many).toJSON();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const sliced = await MiniSearchIndex.fromJSONInSlices(text).finally(() => clearInterval(timer));
    expect(ticks).to.be.greaterThan(1);
    const whole = MiniSearchIndex.fromJSON(text);
    expect(sliced.toJSON()).to.equal(whole.toJSON());
    expect(await sliced.search('printer jams paper', { lang: 'en', limit: 5 })).to.have.length(5);
    expect(await sliced.search('printer jams paper', { lang: 'en', limit: 5 })).to.deep.equal(
      await whole.search('printer jams paper', { lang: 'en', limit: 5 }),
    );
  });
});

describe('MiniSearchIndex: the index its text loads (the one a build serves)', () => {
  it('lists its terms otherwise than the index built, so a build serves the loaded one', async () => {
    const built = MiniSearchIndex.build(DOCS);
    const json = built.toJSON();
    const loaded = MiniSearchIndex.fromJSON(json);
    expect(loaded.toJSON()).not.to.equal(built.toJSON());
    expect((await hitsOf(loaded)).flat(2).length).to.be.greaterThan(4);
  });
});
