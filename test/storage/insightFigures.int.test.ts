import { expect } from 'chai';
import pgClient from 'pg';
import type { DeflectEvent, NewEvent } from '../../core/events/types.ts';
import type { Stores } from '../../core/storage/ports.ts';
import { asked, judged, ticketed } from '../reports/builders.ts';
import { periods, reportsOn, traffic } from '../helpers/reportTraffic.ts';
import { openSqlBesideScan } from '../helpers/storageBackends.ts';

/**
 * The articles and gaps reports counted in SQL (PostgreSQL: the outcomes of
 * migration 0010, the displayed articles and question texts of 0014) give
 * exactly the reports of the in-process scan over the embedded log, for the
 * same events: every period and window of the deflection spec, the same
 * traffic with varied texts, nearest articles and suggestions after a "No",
 * events appended late, and after a day was rewritten (an erasure) and
 * another removed (retention).
 */
const ALL = { limit: Number.MAX_SAFE_INTEGER };

describe('Articles and gaps figures in PostgreSQL equal the in-process scan', function () {
  this.timeout(180_000);
  let pg: Stores;
  let embedded: Stores;
  let dirs: [string, string];
  let databaseUrl: string;
  let close: (() => Promise<void>) | undefined;
  const appendToBoth = async (events: NewEvent[]) => {
    for (const e of events) {
      await pg.events.append(e);
      await embedded.events.append(e);
    }
  };
  const expectSameReports = async () => {
    const sql = reportsOn(pg, dirs[0]);
    const scan = reportsOn(embedded, dirs[1]);
    for (const { name, input } of periods) {
      const articles = await scan.articles(input);
      expect(
        articles.rows.some((r) => r.shown > 0 && r.ticketsAfterShown > 0),
        `${name}: the case has data`,
      ).to.equal(true);
      expect(await sql.articles(input), `${name}: articles`).to.deep.equal(articles);
      const gaps = await scan.gaps(input, ALL);
      expect(gaps.clusters.length, `${name}: the case has gaps`).to.be.greaterThan(0);
      expect(await sql.gaps(input, ALL), `${name}: gaps`).to.deep.equal(gaps);
    }
  };

  before(async function () {
    ({ pg, embedded, dirs, databaseUrl, close } = await openSqlBesideScan(this));
    await appendToBoth(worded(traffic()));
  });

  after(async () => {
    await close?.();
  });

  it('for every period and window, field by field', async () => {
    expect(pg.reportFigures, 'the PostgreSQL stores count in SQL').to.exist;
    await expectSameReports();
  });

  it('over cases that make the comparison mean something', async () => {
    const sql = reportsOn(pg, dirs[0]);
    const input = { from: '2026-02-20', to: '2026-04-20' };
    const { rows } = await sql.articles(input);
    const retired = rows.find((r) => r.articleId === 'retired-article');
    expect(retired?.removed, 'an article no longer in the knowledge base').to.equal(true);
    for (const field of ['shown', 'answered', 'confirmed', 'notHelpful', 'ticketsAfterShown'] as const)
      expect(
        rows.some((r) => r[field] > 0),
        field,
      ).to.equal(true);
    const { clusters } = await sql.gaps(input, ALL);
    expect(clusters.map((c) => c.lang)).to.include.members(['en', 'es']);
    for (const field of ['unanswered', 'notHelpful', 'ticket'] as const)
      expect(
        clusters.some((c) => c[field] > 0),
        field,
      ).to.equal(true);
    expect(
      clusters.some((c) => c.phrasings.length > 1),
      'phrasings that normalise or cluster together',
    ).to.equal(true);
    expect(clusters.some((c) => c.nearest && c.suggestedTags.length)).to.equal(true);
  });

  it('a "No"\'s suggestions count against a ticket after it, not before it', async () => {
    const at = (m: number) => `2026-03-18T10:${String(m).padStart(2, '0')}:00.000Z`;
    const base = { conversationId: 'sugg-1', user: { id: 'sugg-person' } };
    const suggestion = [{ articleId: 'account-locked-en', confidence: 0.5 }];
    await appendToBoth([
      asked(at(0), { ...base, question: 'My card was declined' }),
      // A ticket from the same person elsewhere, before the "No": it does not count against the suggestion.
      ticketed(at(1), 'user', { conversationId: 'sugg-2', user: { id: 'sugg-person' } }),
      judged(at(2), false, { ...base, shown: suggestion }),
      ticketed(at(3), 'not_helpful', base),
    ]);
    await expectSameReports();
  });

  it('hands the gaps report at most the most frequent texts asked for', async () => {
    const period = { from: '2026-02-20T00:00:00.000Z', to: '2026-04-20T00:00:00.000Z', windowDays: 7 };
    const all = await pg.reportFigures!.gapQuestions({ period, limit: 1000 });
    const top = await pg.reportFigures!.gapQuestions({ period, limit: 2 });
    expect(all.length).to.be.greaterThan(2);
    const counts = all.map((q) => q.count).sort((a, b) => b - a);
    expect(top.map((q) => q.count).sort((a, b) => b - a)).to.deep.equal(counts.slice(0, 2));
  });

  it('kept event by event, the tables of 0014 equal those rebuilt from the whole log at once', async () => {
    const client = new pgClient.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const read = async () => [
        (await client.query('SELECT * FROM report_article_events ORDER BY seq, role, article')).rows,
        (await client.query('SELECT * FROM report_question_texts ORDER BY seq')).rows,
      ];
      const kept = await read();
      expect(kept[0]!.length * kept[1]!.length, 'the case has rows').to.be.greaterThan(0);
      await client.query('SELECT report_insight_rebuild()');
      expect(await read()).to.deep.equal(kept);
    } finally {
      await client.end();
    }
  });

  it('a "No" then a "Yes" is settled: not a gap', async () => {
    const base = { conversationId: 'settled-1', lang: 'en' as const };
    await appendToBoth([
      asked('2026-03-19T09:00:00.000Z', { ...base, question: 'Where is the cafeteria menu' }),
      judged('2026-03-19T09:01:00.000Z', false, base),
      judged('2026-03-19T09:02:00.000Z', true, base),
    ]);
    await expectSameReports();
    const { clusters } = await reportsOn(pg, dirs[0]).gaps({ from: '2026-03-19', to: '2026-03-19' }, ALL);
    expect(clusters.flatMap((c) => c.phrasings.map((p) => p.text))).to.not.include('Where is the cafeteria menu');
  });

  it('after a past day is rewritten (erasure) and another removed (retention), from the rewritten events', async () => {
    const day = '2026-03-12';
    for (const stores of [pg, embedded]) {
      await stores.events.exclusive(async () => {
        const events = await stores.events.readDay(day);
        await stores.events.rewriteDay(day, events.map(anonymised));
      });
      await stores.events.removeDay('2026-03-05');
    }
    await expectSameReports();
  });
});

const PHRASES = [
  'I forgot my password',
  'forgot my password!',
  '  I FORGOT my password ',
  'How do I set up the VPN?',
  'vpn setup on my laptop',
  'the printer on floor 3 jams',
  'printer jams again',
  'Olvidé mi contraseña',
  'olvide mi contraseña',
  'No puedo conectar la VPN',
  'dónde está la factura',
  '¿?',
];
const NEAR = ['reset-password-en', 'vpn-setup-en', 'vpn-not-connecting-en', 'account-locked-en', 'retired-article'];

/**
 * The shared traffic with what only these reports read: texts (some that
 * normalise alike, one with no words), the engine's nearest article and its
 * confidence (some on the clarify threshold, some with none), and articles
 * suggested after a "No".
 */
function worded(events: NewEvent[]): NewEvent[] {
  let n = 0;
  return events.map((e) => {
    const k = n++;
    if (e.type === 'question') {
      const text = PHRASES[(k * 7) % PHRASES.length]!;
      const lang = /[ñóé]|^No |^olvid/i.test(text) ? 'es' : (e.lang ?? 'en');
      const ranked =
        k % 9 === 0 ? [] : [{ articleId: NEAR[k % NEAR.length]!, confidence: [0.5, 0.123, 0.9995, 0.7][k % 4]! }];
      return { ...e, question: text, lang, ranked } as NewEvent;
    }
    if (e.type === 'feedback' && !e.helpful && k % 2 === 0)
      return { ...e, shown: [{ articleId: NEAR[k % NEAR.length]!, confidence: 0.4 }] } as NewEvent;
    return e;
  });
}

function anonymised(e: DeflectEvent): DeflectEvent {
  if (e.type === 'question') return { ...e, question: 'removed text', user: {} } as DeflectEvent;
  if ('user' in e && e.user) return { ...e, user: {} } as DeflectEvent;
  return e;
}
