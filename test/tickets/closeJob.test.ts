import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../core/config/index.ts';
import { closeSolvedTickets } from '../../core/commands/closeSolvedTickets.ts';
import { startTicketClosing } from '../../core/tickets/closeJob.ts';
import { TicketStore } from '../../core/tickets/ticketStore.ts';
import type { Ticket } from '../../core/tickets/types.ts';
import { eventually } from '../helpers/eventually.ts';
import { tempDir } from '../helpers/tempDir.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function stored(id: string, status: Ticket['status'], updatedAt: string): Ticket {
  return {
    id,
    status,
    createdAt: ago(30),
    updatedAt,
    channel: 'widget',
    lang: 'en',
    email: 'ana@example.com',
    subject: 'x',
    reason: 'user',
    transcript: [],
    shown: [],
    tags: [],
    notes: [],
    messages: [],
  };
}

describe('closing solved tickets after TICKET_CLOSE_DAYS', function () {
  this.timeout(30_000);
  let tmp: ReturnType<typeof tempDir>;
  let store: TicketStore;

  beforeEach(async () => {
    tmp = tempDir();
    // A data directory as days of work left it: times a store cannot be told to write.
    const tickets = [
      stored('T-000001', 'solved', ago(5)),
      stored('T-000002', 'solved', ago(1)),
      stored('T-000003', 'pending', ago(20)),
      stored('T-000004', 'on_hold', ago(20)),
    ];
    writeFileSync(path.join(tmp.dir, 'tickets.json'), JSON.stringify({ seq: 4, tickets }));
    store = await TicketStore.open(tmp.dir);
  });
  afterEach(() => tmp.cleanup());

  it('TICKET_CLOSE_DAYS defaults to 4 and must be a whole number of days from 1', () => {
    expect(loadConfig({}).tickets.closeDays).to.equal(4);
    expect(loadConfig({ TICKET_CLOSE_DAYS: '10' }).tickets.closeDays).to.equal(10);
    expect(() => loadConfig({ TICKET_CLOSE_DAYS: '0' })).to.throw(/TICKET_CLOSE_DAYS/);
  });

  it('closes only the tickets solved and untouched that long; pending and on-hold ones wait for people', async () => {
    expect(await closeSolvedTickets({ sinks: [], tickets: store }, { closeDays: 4 })).to.deep.equal(['T-000001']);
    const after = await store.all();
    expect(after.map((t) => t.status)).to.deep.equal(['closed', 'solved', 'pending', 'on_hold']);
    expect(after[0]!.closedAt).to.be.a('string');
    expect(await closeSolvedTickets({ sinks: [], tickets: store }, { closeDays: 4 })).to.deep.equal([]);
  });

  it('runs on its own, shortly after start and then periodically, until stopped', async () => {
    const stop = startTicketClosing({ sinks: [], tickets: store }, { closeDays: 4, firstRunMs: 0, everyMs: 20 });
    try {
      await eventually(async () => (await store.get('T-000001')).status === 'closed', { what: 'T-000001 closed' });
    } finally {
      await stop();
    }
    expect((await store.get('T-000002')).status).to.equal('solved');
  });
});
