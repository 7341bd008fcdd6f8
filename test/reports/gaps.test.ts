import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parseArticle } from '../../core/articles/parseArticle.ts';
import type { Lang } from '../../core/contracts/api.ts';
import { draftArticle } from '../../core/reports/draftArticle.ts';
import { DEFAULT_SIMILARITY, type GapCluster } from '../../core/reports/gaps.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { articleMap, asked, judged, logWith, plus, ticketed } from './builders.ts';

const T0 = '2026-03-10T10:00:00.000Z';
const PERIOD = { from: '2026-03-01', to: '2026-03-31' };

/** Paraphrases of six topics, and two lone questions; each must end up with its own kind. */
const topics: { lang: Lang; topic: string; phrasings: string[] }[] = [
  {
    lang: 'en',
    topic: 'projector',
    phrasings: [
      'how do I connect my laptop to the meeting room projector',
      "projector in the meeting room doesn't work",
      "can't get the projector to show my screen",
      'connect to projector',
    ],
  },
  {
    lang: 'en',
    topic: 'parking',
    phrasings: [
      'where can I park my car',
      'parking permit for the office',
      'is there parking at the office',
      'where do I park at the office',
    ],
  },
  {
    lang: 'en',
    topic: 'toner',
    phrasings: ['the printer has no toner', 'toner cartridge is empty', 'how do I order toner for the printer'],
  },
  { lang: 'en', topic: 'coffee', phrasings: ['the coffee machine is broken'] },
  {
    lang: 'es',
    topic: 'proyector',
    phrasings: [
      'cómo conecto el portátil al proyector de la sala',
      'el proyector de la sala de reuniones no funciona',
      'no consigo que el proyector muestre mi pantalla',
    ],
  },
  {
    lang: 'es',
    topic: 'aparcar',
    phrasings: [
      'dónde puedo aparcar el coche',
      'tarjeta de aparcamiento para la oficina',
      'hay parking en la oficina',
      'dónde aparco en la oficina',
    ],
  },
  {
    lang: 'es',
    topic: 'tóner',
    phrasings: ['la impresora no tiene tóner', 'pedir tóner para la impresora', 'se acabó el tóner'],
  },
  { lang: 'es', topic: 'café', phrasings: ['la máquina de café no funciona'] },
];

function unanswered() {
  return topics.flatMap((t, ti) =>
    t.phrasings.map((q, i) =>
      asked(plus(T0, 0, ti * 1000 + i), {
        conversationId: `${t.topic}-${i}`,
        action: 'ticket',
        lang: t.lang,
        question: q,
      }),
    ),
  );
}

describe('gaps report: clustering what the knowledge base did not settle', () => {
  it('groups paraphrases in Spanish and English into one cluster per topic, languages apart, around the default threshold', async () => {
    const f = await logWith(unanswered(), { now: '2026-05-01T00:00:00.000Z' });
    try {
      const want = topics.map((t) => [...t.phrasings].sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
      // Not a knife edge: the documented range around the default gives the same clusters.
      for (const similarity of [0.28, DEFAULT_SIMILARITY, 0.32]) {
        const { clusters } = await f.reports.gaps(PERIOD, { similarity });
        const got = clusters
          .map((c) => c.phrasings.map((p) => p.text).sort())
          .sort((a, b) => a[0]!.localeCompare(b[0]!));
        expect(got, `similarity ${similarity}`).to.deep.equal(want);
        for (const c of clusters)
          expect(new Set(c.phrasings.map((p) => topics.find((t) => t.phrasings.includes(p.text))!.lang))).to.deep.equal(
            new Set([c.lang]),
          );
      }
    } finally {
      f.cleanup();
    }
  });

  it('orders clusters biggest first, counts repeated phrasings, and gives the reasons', async () => {
    const events = [
      ...unanswered(),
      // The same parking question three more times, once with a ticket.
      asked(plus(T0, 1), { conversationId: 'p-1', action: 'ticket', question: 'Where can I park my car?' }),
      asked(plus(T0, 1, 1), { conversationId: 'p-2', action: 'ticket', question: 'where can i park my car' }),
      asked(plus(T0, 1, 2), { conversationId: 'p-3', action: 'ticket', question: 'where can I park my car' }),
      ticketed(plus(T0, 1, 3), 'no_answer', { conversationId: 'p-3' }),
    ];
    const f = await logWith(events, { now: '2026-05-01T00:00:00.000Z' });
    try {
      const [top, second] = (await f.reports.gaps(PERIOD)).clusters;
      expect(top).to.include({ lang: 'en', count: 7, unanswered: 7, ticket: 1, notHelpful: 0 });
      // Spellings that differ only in case and punctuation are one phrasing, shown as first seen.
      expect(top!.phrasings[0]).to.deep.equal({ text: 'where can I park my car', count: 4 });
      expect(second!.count).to.equal(4);
      expect(top!.keywords).to.include('park');
    } finally {
      f.cleanup();
    }
  });

  it('takes answered questions that were not helpful or led to a ticket, and names the nearest article', async () => {
    const events = [
      asked(T0, {
        conversationId: 'x',
        question: 'reset my password from my phone',
        ranked: [{ articleId: 'reset-password-en', confidence: 0.96 }],
      }),
      judged(plus(T0, 0, 1000), false, { conversationId: 'x' }),
      asked(plus(T0, 0, 2000), {
        conversationId: 'y',
        question: 'reset password on the phone app',
        ranked: [{ articleId: 'reset-password-en', confidence: 0.95 }],
      }),
      ticketed(plus(T0, 0, 3000), 'user', { conversationId: 'y' }),
      // Answered and fine: not a gap.
      asked(plus(T0, 0, 4000), { conversationId: 'z', question: 'I forgot my password' }),
    ];
    const f = await logWith(events, { now: '2026-05-01T00:00:00.000Z' });
    try {
      const { clusters } = await f.reports.gaps(PERIOD);
      expect(clusters).to.have.length(1);
      expect(clusters[0]).to.include({ count: 2, notHelpful: 1, ticket: 1, unanswered: 0 });
      expect(clusters[0]!.nearest).to.deep.equal({
        articleId: 'reset-password-en',
        title: 'reset-password-en',
        confidence: 0.955,
      });
      expect(clusters[0]!.suggestedTags).to.deep.equal(['account', 'password']);
    } finally {
      f.cleanup();
    }
  });

  it("lends the nearest articles' tags only from the operator's CLARIFY_THRESHOLD, else uses the cluster's own words", async () => {
    const events = [
      asked(T0, {
        conversationId: 'x',
        action: 'ticket',
        shown: [],
        question: 'vpn keeps dropping at home',
        ranked: [{ articleId: 'vpn-not-connecting-en', confidence: 0.45 }],
      }),
    ];
    const cases = [
      { clarifyThreshold: 0.4, tags: ['vpn'], description: 'at the default, an article offered at 0.45 is related' },
      {
        clarifyThreshold: 0.5,
        tags: ['dropping', 'home', 'keeps'],
        description: 'with CLARIFY_THRESHOLD=0.5 it is not',
      },
    ];
    for (const c of cases) {
      const f = await logWith(events, { now: '2026-05-01T00:00:00.000Z', clarifyThreshold: c.clarifyThreshold });
      try {
        expect((await f.reports.gaps(PERIOD)).clusters[0]!.suggestedTags, c.description).to.deep.equal(c.tags);
      } finally {
        f.cleanup();
      }
    }
  });

  it('a cluster id stays the same while its most frequent phrasing does', async () => {
    const a = await logWith(unanswered(), { now: '2026-05-01T00:00:00.000Z' });
    const b = await logWith(
      [
        ...unanswered(),
        asked(plus(T0, 2), {
          conversationId: 'new',
          action: 'ticket',
          question: 'no parking spaces left at the office',
        }),
      ],
      { now: '2026-05-01T00:00:00.000Z' },
    );
    try {
      const idOf = async (f: typeof a) =>
        (await f.reports.gaps(PERIOD)).clusters.find((c) =>
          c.phrasings.some((p) => p.text === 'the coffee machine is broken'),
        )!.id;
      expect(await idOf(a)).to.equal(await idOf(b));
      expect(await idOf(a)).to.match(/^gap-[0-9a-f]{10}$/);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});

describe('a draft article from a gap', () => {
  const gap: GapCluster = {
    id: 'gap-0123456789',
    lang: 'es',
    count: 5,
    unanswered: 4,
    notHelpful: 1,
    ticket: 2,
    phrasings: [
      { text: '¿dónde puedo aparcar el coche?', count: 3 },
      { text: 'hay parking en la oficina', count: 1 },
      { text: 'tarjeta de aparcamiento: para la oficina', count: 1 },
    ],
    nearest: { articleId: 'vpn-setup-en', title: 'vpn-setup-en', confidence: 0.41 },
    suggestedTags: ['aparcar', 'oficina'],
    keywords: ['aparcar', 'oficina', 'parking'],
    firstSeen: T0,
    lastSeen: T0,
  };

  it('has the real phrasings as questions, status draft, and parses as a valid article', async () => {
    const tmp = tempDir();
    try {
      const { file, id } = await draftArticle(gap, {
        draftsDir: path.join(tmp.dir, 'kb/drafts'),
        kbDir: path.join(tmp.dir, 'kb'),
        articles: articleMap(),
        now: new Date(T0),
      });
      expect(id).to.equal('donde-puedo-aparcar-el-coche');
      const parsed = parseArticle('drafts/donde-puedo-aparcar-el-coche.md', readFileSync(file, 'utf8'), {
        defaultLang: 'en',
      });
      expect(parsed.problems).to.deep.equal([]);
      expect(parsed.article).to.include({
        id,
        title: 'Dónde puedo aparcar el coche',
        lang: 'es',
        status: 'draft',
        category: 'Network',
        reviewBy: '2026-06-08',
      });
      expect(parsed.article!.questions).to.deep.equal(gap.phrasings.map((p) => p.text));
      expect(parsed.article!.tags).to.deep.equal(['aparcar', 'oficina']);
      expect(readFileSync(file, 'utf8')).to.contain('[vpn-setup-en](../vpn-setup-en.md)');
    } finally {
      tmp.cleanup();
    }
  });

  it('never overwrites: a second draft of the same gap is a conflict', async () => {
    const tmp = tempDir();
    try {
      const opts = { draftsDir: tmp.dir, kbDir: tmp.dir, articles: articleMap() };
      await draftArticle(gap, opts);
      let error: unknown;
      await draftArticle(gap, opts).catch((e) => (error = e));
      expect(error).to.have.property('code', 'conflict');
    } finally {
      tmp.cleanup();
    }
  });

  it('does not reuse the id of an existing article', async () => {
    const tmp = tempDir();
    try {
      const clash = { ...gap, lang: 'en' as const, phrasings: [{ text: 'reset password en', count: 1 }] };
      const { id } = await draftArticle(clash, { draftsDir: tmp.dir, kbDir: tmp.dir, articles: articleMap() });
      expect(id).to.equal('reset-password-en-012345');
    } finally {
      tmp.cleanup();
    }
  });
});
