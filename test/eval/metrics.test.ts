import { expect } from 'chai';
import { computeMetrics, percentile, riskCoverage, type Prediction } from '../../core/eval/metrics.ts';
import { parseQueries, type QueryRow } from '../../core/eval/queries.ts';

/** A prediction with overrides: by default a ticket with nothing ranked. */
function pred(qid: string, overrides: Partial<Prediction> = {}): Prediction {
  return { qid, action: 'ticket', articleId: null, ranked: [], options: [], confidence: 0, latencyMs: 1, ...overrides };
}

// Nine questions, one of each case the metrics must tell apart.
const rows: QueryRow[] = [
  { qid: 'q1', text: 'answered right', gold: 'A', type: 'in_scope' },
  { qid: 'q2', text: 'answered wrong', gold: 'B', type: 'in_scope' },
  { qid: 'q3', text: 'clarified, gold offered', gold: 'C', type: 'in_scope' },
  { qid: 'q4', text: 'ticket, gold not ranked', gold: 'D', type: 'in_scope' },
  { qid: 'q5', text: 'same-domain unanswerable, answered', gold: null, type: 'id_oos' },
  { qid: 'q6', text: 'off-domain, clarified', gold: null, type: 'ood_oos' },
  { qid: 'q7', text: 'off-domain, ticket', gold: null, type: 'ood_oos' },
  { qid: 'q8', text: 'unlabelled, answered' },
  { qid: 'q9', text: 'unanswerable of unknown kind', gold: null, type: 'oos' },
];
const predictions = new Map(
  [
    pred('q1', { action: 'answer', articleId: 'A', ranked: ['A', 'B', 'C'], confidence: 0.9, latencyMs: 1 }),
    pred('q2', { action: 'answer', articleId: 'A', ranked: ['A', 'B'], confidence: 0.8, latencyMs: 2 }),
    pred('q3', { action: 'clarify', ranked: ['B', 'C', 'A'], options: ['B', 'C'], confidence: 0.5, latencyMs: 3 }),
    pred('q4', { ranked: ['A', 'B', 'C', 'E'], confidence: 0.1, latencyMs: 4 }),
    pred('q5', { action: 'answer', articleId: 'A', ranked: ['A'], confidence: 0.7, latencyMs: 5 }),
    pred('q6', { action: 'clarify', ranked: ['A'], options: ['A'], confidence: 0.4, latencyMs: 6 }),
    pred('q7', { ranked: ['B'], confidence: 0.2, latencyMs: 7 }),
    pred('q8', { action: 'answer', articleId: 'A', ranked: ['A'], confidence: 0.95, latencyMs: 8 }),
    pred('q9', { latencyMs: 9 }),
  ].map((p) => [p.qid, p]),
);

describe('eval metrics', () => {
  const m = computeMetrics(rows, predictions);

  it('counts labelled questions only, split into in-scope and unanswerable', () => {
    expect(m).to.include({ queries: 8, in_scope: 4, unanswerable: 4 });
  });

  it('ranks in-scope questions ignoring the threshold', () => {
    expect(m.accuracy_at_1).to.equal(1 / 4);
    expect(m.recall_at_3).to.equal(3 / 4);
    expect(m.mrr_at_10).to.equal((1 + 1 / 2 + 1 / 2 + 0) / 4);
  });

  it('scores answers at the operating point: right, wrong, and unanswerable answered', () => {
    expect(m.cdr).to.equal(1 / 4);
    expect(m.fdr).to.equal(1 / 4);
    expect(m.far).to.deep.equal({ all: 1 / 4, id_oos: 1, ood_oos: 0, oos: 0 });
  });

  it('counts clarify over all labelled questions, and hits only where the gold was offered', () => {
    expect(m.clarify_rate).to.equal(2 / 8);
    expect(m.clarify_hit).to.equal(1 / 2);
  });

  it('counts as offered the in-scope questions answered right or given a choice holding their article', () => {
    expect(m.offered).to.equal(2 / 4);
  });

  it('takes nearest-rank percentiles of latency over every question asked', () => {
    expect(m.latency_ms).to.deep.equal({ p50: 5, p95: 9 });
  });

  it('gives null for a ratio with nothing to divide by', () => {
    const only = computeMetrics([rows[0]!], predictions);
    expect(only.far).to.deep.equal({ all: null, id_oos: null, ood_oos: null, oos: null });
    expect(only.clarify_hit).to.equal(null);
    expect(computeMetrics([rows[7]!], predictions)).to.include({
      queries: 0,
      accuracy_at_1: null,
      cdr: null,
      clarify_rate: null,
    });
  });

  it('fails loudly when a question has no prediction', () => {
    expect(() => computeMetrics(rows, new Map())).to.throw(/no prediction for question 'q1'/);
  });
});

describe('risk–coverage curve', () => {
  const curve = riskCoverage(rows, predictions);

  it('moves the threshold down through every confidence seen, answering with the top-ranked article', () => {
    expect(curve.map((p) => p.threshold)).to.deep.equal([0.9, 0.8, 0.7, 0.5, 0.4, 0.2, 0.1, 0]);
    expect(curve[0]).to.deep.equal({ threshold: 0.9, cdr: 1 / 4, fdr: 0, far: 0 });
    expect(curve[1]).to.deep.equal({ threshold: 0.8, cdr: 1 / 4, fdr: 1 / 4, far: 0 });
    expect(curve[2]).to.deep.equal({ threshold: 0.7, cdr: 1 / 4, fdr: 1 / 4, far: 1 / 4 });
  });

  it('ends where everything is answered: CDR is then accuracy@1', () => {
    expect(curve.at(-1)).to.deep.equal({ threshold: 0, cdr: 1 / 4, fdr: 3 / 4, far: 1 });
  });
});

describe('percentile', () => {
  const cases = [
    { values: [], p: 0.5, expects: 0 },
    { values: [7], p: 0.95, expects: 7 },
    { values: [4, 1, 3, 2], p: 0.5, expects: 2 },
    { values: [4, 1, 3, 2], p: 0.95, expects: 4 },
  ];
  for (const c of cases)
    it(`p${c.p * 100} of [${c.values.join(', ')}] is ${c.expects}`, () =>
      expect(percentile(c.values, c.p)).to.equal(c.expects));
});

describe('question files', () => {
  it('reads dev.jsonl rows, deriving the type from the gold when it is missing', () => {
    const text = [
      '{"qid":"a","text":"hi","gold":"x"}',
      '',
      '{"qid":"b","text":"","gold":null,"type":"ood_oos"}',
      '{"qid":"c","text":"no label"}',
      '{"text":"no qid","gold":null}',
    ].join('\n');
    expect(parseQueries(text)).to.deep.equal([
      { qid: 'a', text: 'hi', gold: 'x', type: 'in_scope' },
      { qid: 'b', text: '', gold: null, type: 'ood_oos' },
      { qid: 'c', text: 'no label' },
      { qid: 'line-5', text: 'no qid', gold: null, type: 'oos' },
    ]);
  });

  it('reports every bad line at once, by line number', () => {
    const text = [
      'not json',
      '{"qid":"a","text":"x","gold":"g","type":"id_oos"}',
      '{"qid":"b","text":"x","type":"in_scope"}',
      '{"qid":"c","gold":"g"}',
      '{"qid":"d","text":"x"}',
      '{"qid":"d","text":"y"}',
    ].join('\n');
    expect(() => parseQueries(text, 'q.jsonl'))
      .to.throw(/5 bad line/)
      .and.satisfy((e: Error) =>
        [
          'q.jsonl:1: not valid JSON',
          'q.jsonl:2: a id_oos question must have gold null',
          'q.jsonl:3: an in_scope question needs a gold',
          'q.jsonl:4: text must be a string',
          "q.jsonl:6: duplicate qid 'd'",
        ].every((s) => e.message.includes(s)),
      );
  });
});
