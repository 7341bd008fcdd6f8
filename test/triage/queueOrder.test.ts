import { expect } from 'chai';
import { computeSla, type SlaTicket } from '../../core/sla/computeSla.ts';
import { slaSchema } from '../../core/sla/slaPolicy.ts';
import type { Ticket } from '../../core/tickets/types.ts';
import { policyFingerprint, queueDue, queueKey, queueOrderFor } from '../../core/triage/queueOrder.ts';

/** Mon–Fri 9–17 in Madrid; P2: reply within 1 h, solve within 8 h. */
const MADRID = slaSchema.parse({
  timezone: 'Europe/Madrid',
  hours: { 'mon-fri': ['09:00-17:00'] },
  targets: { P2: { firstResponse: '1h', resolution: '8h' }, P4: { resolution: '40h' } },
});

const t = (id: string, over: Partial<Ticket>): Ticket =>
  ({ id, createdAt: '2026-12-07T08:00:00.000Z', status: 'open', ...over }) as Ticket;

describe('queue order', () => {
  it('priority first (none last), then the nearest due time (none last), then the oldest, then the id', () => {
    const cases: Array<{ ticket: Ticket; due?: string }> = [
      { ticket: t('T-000006', { priority: 'P1', createdAt: '2026-12-07T09:00:00.000Z' }) },
      { ticket: t('T-000003', { priority: 'P2' }), due: '2026-12-07T10:00:00.000Z' },
      { ticket: t('T-000002', { priority: 'P2' }), due: '2026-12-07T12:00:00.000Z' },
      { ticket: t('T-000005', { priority: 'P2', createdAt: '2026-12-07T07:30:00.000Z' }) },
      { ticket: t('T-000007', { priority: 'P2', createdAt: '2026-12-07T07:30:00.000Z' }) },
      { ticket: t('T-000001', { priority: 'P3', createdAt: '2026-12-07T07:00:00.000Z' }) },
      { ticket: t('T-000004', { createdAt: '2026-12-06T06:00:00.000Z' }) },
    ];
    const keys = cases.map((c) => queueKey(c.ticket, c.due));
    expect([...keys].sort()).to.deep.equal(keys);
  });

  it('a ticket is due at the same time whenever it is asked, so its key can be stored', () => {
    const tickets: SlaTicket[] = [
      // Friday 16:30 in Madrid: first response due Monday 09:30.
      { createdAt: '2026-12-04T15:30:00.000Z', status: 'open', priority: 'P2' },
      // Answered, pending over the weekend, open again on Monday: resolution due later that week.
      {
        createdAt: '2026-12-04T15:30:00.000Z',
        status: 'open',
        priority: 'P2',
        firstResponseAt: '2026-12-04T15:45:00.000Z',
        statusHistory: [
          { at: '2026-12-04T15:50:00.000Z', status: 'pending' },
          { at: '2026-12-07T10:00:00.000Z', status: 'open' },
        ],
      },
      // Paused: no due time until it is open again.
      {
        createdAt: '2026-12-04T15:30:00.000Z',
        status: 'on_hold',
        priority: 'P4',
        statusHistory: [{ at: '2026-12-04T15:50:00.000Z', status: 'on_hold' }],
      },
    ];
    expect(queueDue(tickets[0]!, MADRID)).to.equal('2026-12-07T08:30:00.000Z');
    for (const ticket of tickets)
      for (const now of [
        '2026-12-07T10:05:00Z',
        '2026-12-07T16:00:00Z',
        '2026-12-09T08:00:00Z',
        '2027-01-05T12:00:00Z',
      ]) {
        const due = computeSla(ticket, MADRID, new Date(now))?.due;
        expect(queueDue(ticket, MADRID), `at ${now}`).to.equal(due?.firstResponseAt ?? due?.resolutionAt);
      }
  });

  it('a fifo team is first come first served; keys are named by the SLA policy they were made under', () => {
    const routing = { teams: { helpdesk: { queue: 'fifo' as const } } };
    expect(queueOrderFor({ sla: MADRID, routing }, 'helpdesk').fifo).to.equal(true);
    expect(queueOrderFor({ sla: MADRID, routing }, 'billing').fifo).to.equal(false);
    expect(queueOrderFor({ sla: MADRID, routing }, undefined).fifo).to.equal(false);
    expect(queueOrderFor({ sla: MADRID }, 'billing').policy).to.equal(policyFingerprint(MADRID));
    expect(policyFingerprint(MADRID)).to.not.equal(policyFingerprint({ ...MADRID, warningAt: 0.5 }));
    expect(policyFingerprint(undefined)).to.not.equal(policyFingerprint(MADRID));
  });
});
