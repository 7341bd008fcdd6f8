import { expect } from 'chai';
import type { TicketWithSla } from '../../core/sla/ticketSla.ts';
import { queueOrder } from '../../core/triage/queueOrder.ts';

const t = (id: string, over: Partial<TicketWithSla>): TicketWithSla =>
  ({ id, createdAt: '2026-12-07T08:00:00.000Z', ...over }) as TicketWithSla;
const due = (firstResponseAt?: string, resolutionAt?: string): TicketWithSla['slaStatus'] => ({
  sla: 'ok',
  clocks: {},
  due: { ...(firstResponseAt ? { firstResponseAt } : {}), ...(resolutionAt ? { resolutionAt } : {}) },
});

describe('queue order', () => {
  const tickets = [
    t('T-000001', { priority: 'P3', createdAt: '2026-12-07T07:00:00.000Z' }),
    t('T-000002', { priority: 'P2', slaStatus: due('2026-12-07T12:00:00.000Z') }),
    t('T-000003', { priority: 'P2', slaStatus: due(undefined, '2026-12-07T10:00:00.000Z') }),
    t('T-000004', { createdAt: '2026-12-07T06:00:00.000Z' }),
    t('T-000005', { priority: 'P2', createdAt: '2026-12-07T07:30:00.000Z' }),
    t('T-000006', { priority: 'P1', createdAt: '2026-12-07T09:00:00.000Z' }),
  ];
  const ids = (list: TicketWithSla[]) => list.map((x) => x.id);

  it('priority first (none last), then the nearest due time (none last), then the oldest', () => {
    expect(ids(queueOrder(tickets, { teams: {} }, 'billing'))).to.deep.equal([
      'T-000006',
      'T-000003',
      'T-000002',
      'T-000005',
      'T-000001',
      'T-000004',
    ]);
  });

  it('first come, first served for a team set to fifo', () => {
    expect(ids(queueOrder(tickets, { teams: { helpdesk: { queue: 'fifo' } } }, 'helpdesk'))).to.deep.equal([
      'T-000004',
      'T-000001',
      'T-000005',
      'T-000002',
      'T-000003',
      'T-000006',
    ]);
  });
});
