import { expect } from 'chai';
import { parsePolicy } from '../../core/triage/policyFile.ts';
import { computeSla, type SlaTicket } from '../../core/sla/computeSla.ts';
import { slaSchema, type SlaPolicy } from '../../core/sla/slaPolicy.ts';

const policy = (yaml: string): SlaPolicy => {
  const { policy: p, problems } = parsePolicy('_sla.yml', yaml, slaSchema);
  expect(problems).to.deep.equal([]);
  return p!;
};

/** Mon–Fri 9–17 in Madrid, 25 December off; P2: reply within 1 h, solve within 8 h; paid plans reply within 30 min. */
const MADRID = policy(`
timezone: Europe/Madrid
hours:
  mon-fri: ["09:00-17:00"]
holidays: [2026-12-25]
warningAt: 0.75
targets:
  P2: { firstResponse: 1h, resolution: 8h }
  P4: { resolution: 40h }
plans:
  paid:
    P2: { firstResponse: 30m }
`);

const ticket = (over: Partial<SlaTicket> = {}): SlaTicket => ({
  createdAt: '2026-12-04T15:30:00.000Z', // Friday 16:30 in Madrid (UTC+1)
  status: 'open',
  priority: 'P2',
  ...over,
});
const at = (iso: string) => new Date(iso);

describe('SLA clocks: a pure function of the ticket history and now', () => {
  it('opened Friday 16:30, 1 h to first response, Mon–Fri 9–17 → due Monday 09:30', () => {
    const s = computeSla(ticket(), MADRID, at('2026-12-05T10:00:00Z'))!;
    expect(s.due.firstResponseAt).to.equal('2026-12-07T08:30:00.000Z'); // Monday 09:30 in Madrid
    expect(s.clocks.firstResponse).to.include({ state: 'running', usedMs: 30 * 60_000 });
    expect(s.sla).to.equal('ok');
  });

  it('warns at the share of the target, and is breached past it', () => {
    expect(computeSla(ticket(), MADRID, at('2026-12-07T08:16:00Z'))!.sla).to.equal('warning'); // 46 of 60 min
    const late = computeSla(ticket(), MADRID, at('2026-12-07T09:00:00Z'))!;
    expect(late.sla).to.equal('breached');
    expect(late.clocks.firstResponse).to.include({ state: 'breached', dueAt: '2026-12-07T08:30:00.000Z' });
  });

  it('a public agent reply in time meets the target; bot answers and internal notes never set firstResponseAt', () => {
    const s = computeSla(ticket({ firstResponseAt: '2026-12-07T08:10:00Z' }), MADRID, at('2026-12-08T12:00:00Z'))!;
    expect(s.clocks.firstResponse).to.include({ state: 'met' });
    expect(s.due.firstResponseAt).to.equal(undefined);
  });

  it('pending and on-hold time does not count', () => {
    // Monday 09:00–10:00 open (60 min of the 8 h), pending until Tuesday 09:00, on hold 1 h, open again.
    const t = ticket({
      createdAt: '2026-12-07T08:00:00Z',
      firstResponseAt: '2026-12-07T08:20:00Z',
      statusHistory: [
        { at: '2026-12-07T09:00:00Z', status: 'pending' },
        { at: '2026-12-08T08:00:00Z', status: 'on_hold' },
        { at: '2026-12-08T09:00:00Z', status: 'open' },
      ],
    });
    const s = computeSla(t, MADRID, at('2026-12-08T10:00:00Z'))!;
    expect(s.clocks.resolution).to.include({ state: 'running', usedMs: 2 * 3_600_000 });
    expect(s.due.resolutionAt).to.equal('2026-12-08T16:00:00.000Z'); // 6 h left from 11:00 → 17:00 Madrid
    const paused = computeSla({ ...t, status: 'pending' }, MADRID, at('2026-12-08T10:00:00Z'))!;
    expect(paused.clocks.resolution!.state).to.equal('paused');
    expect(paused.due.resolutionAt).to.equal(undefined);
  });

  it('holidays are skipped', () => {
    // Thursday 24 December 16:30: Friday 25th is a holiday, so Monday 28th 09:30.
    const s = computeSla(ticket({ createdAt: '2026-12-24T15:30:00Z' }), MADRID, at('2026-12-24T16:00:00Z'))!;
    expect(s.due.firstResponseAt).to.equal('2026-12-28T08:30:00.000Z');
  });

  it('follows the zone across a change of clocks (Madrid leaves summer time on 25 October 2026)', () => {
    // Friday 23 October 16:30 CEST (UTC+2) → Monday 26 October 09:30 CET (UTC+1).
    const s = computeSla(ticket({ createdAt: '2026-10-23T14:30:00Z' }), MADRID, at('2026-10-23T15:00:00Z'))!;
    expect(s.due.firstResponseAt).to.equal('2026-10-26T08:30:00.000Z');
    const always = policy('timezone: Europe/Madrid\ntargets:\n  P1: { resolution: 24h }\n');
    // Around the clock, 24 h from Saturday 28 March 20:00 CET: the 29th has 23 hours, so Sunday 21:00 CEST.
    const t = computeSla(
      { createdAt: '2026-03-28T19:00:00Z', status: 'open', priority: 'P1' },
      always,
      at('2026-03-28T20:00:00Z'),
    )!;
    expect(t.due.resolutionAt).to.equal('2026-03-29T19:00:00.000Z');
  });

  it('a paid plan has its own first-response target; the general resolution target still applies', () => {
    const s = computeSla(ticket({ attributes: { plan: 'paid' } }), MADRID, at('2026-12-05T10:00:00Z'))!;
    expect(s.due.firstResponseAt).to.equal('2026-12-07T08:00:00.000Z');
    expect(s.clocks.resolution!.targetMs).to.equal(8 * 3_600_000);
  });

  it('solved in time is met; a reopened ticket counts on from where it stopped', () => {
    const t = ticket({
      createdAt: '2026-12-07T08:00:00Z',
      firstResponseAt: '2026-12-07T08:30:00Z',
      status: 'solved',
      statusHistory: [{ at: '2026-12-07T12:00:00Z', status: 'solved' }],
    });
    expect(computeSla(t, MADRID, at('2026-12-09T08:00:00Z'))!.clocks.resolution!.state).to.equal('met');
    const reopened = {
      ...t,
      status: 'open' as const,
      statusHistory: [...t.statusHistory!, { at: '2026-12-08T08:00:00Z', status: 'open' as const }],
    };
    const s = computeSla(reopened, MADRID, at('2026-12-08T09:00:00Z'))!;
    expect(s.clocks.resolution!.usedMs).to.equal(5 * 3_600_000);
    expect(s.due.resolutionAt).to.equal('2026-12-08T12:00:00.000Z');
  });

  it('no target for the priority: no SLA', () => {
    expect(computeSla(ticket({ priority: 'P3' }), MADRID, at('2026-12-05T10:00:00Z'))).to.equal(undefined);
  });
});

describe('_sla.yml: checked with file and line', () => {
  it('names the line of a bad zone, period, duration and day', () => {
    const { problems } = parsePolicy(
      '_sla.yml',
      [
        'timezone: Mars/Olympus',
        'hours:',
        '  mon-fry: ["09:00-17:00"]',
        '  sat: ["14:00-10:00"]',
        'targets:',
        '  P1: { firstResponse: 1d }',
      ].join('\n'),
      slaSchema,
    );
    expect(problems.map((p) => p.line).sort()).to.deep.equal([1, 4, 6]);
    const day = parsePolicy('_sla.yml', 'hours:\n  mon-fry: ["09:00-17:00"]\ntargets: {}\n', slaSchema);
    expect(day.problems.map((p) => [p.line, p.message])).to.deep.equal([
      [2, 'hours.mon-fry: "mon-fry" must be a day (mon…sun) or a range (mon-fri)'],
    ]);
  });
});
