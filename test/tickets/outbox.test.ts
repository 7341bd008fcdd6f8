import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { FileDeliveryQueue } from '../../core/storage/fileDeliveryQueue.ts';
import { openStores } from '../../core/storage/openStores.ts';
import { nextUpdatedAt, owedDelivery, oweTo } from '../../core/tickets/outbox.ts';
import { TicketStore } from '../../core/tickets/ticketStore.ts';
import type { Ticket, TicketSink } from '../../core/tickets/types.ts';
import { tempDir } from '../helpers/tempDir.ts';

const ticket = { id: 'T-000001', createdAt: '2026-06-01T10:00:00.000Z', updatedAt: '2026-06-01T10:00:00.000Z' };

describe('the outbox: what a ticket change owes, and the ids it gets', () => {
  it('a delivery id is the same for the same ticket, change, queue and event, and differs if any differs', () => {
    const id = owedDelivery('webhook', ticket, 'ticket.created', {}).id;
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(owedDelivery('webhook', ticket, 'ticket.created', { other: 'payload' }).id).to.equal(id);
    const others = [
      owedDelivery('mail', ticket, 'ticket.created', {}),
      owedDelivery('webhook', ticket, 'ticket.updated', {}),
      owedDelivery('webhook', { ...ticket, updatedAt: '2026-06-01T10:00:00.001Z' }, 'ticket.created', {}),
      // The same number given again after a lost ticket file is another ticket.
      owedDelivery('webhook', { ...ticket, createdAt: '2026-06-02T10:00:00.000Z' }, 'ticket.created', {}),
    ].map((d) => d.id);
    expect(new Set([id, ...others]).size).to.equal(5);
  });

  const cases = [
    {
      description: 'the clock moved on',
      previous: '2026-06-01T10:00:00.000Z',
      now: '2026-06-01T10:00:05.000Z',
      expects: '2026-06-01T10:00:05.000Z',
    },
    {
      description: 'two changes in one millisecond',
      previous: '2026-06-01T10:00:00.000Z',
      now: '2026-06-01T10:00:00.000Z',
      expects: '2026-06-01T10:00:00.001Z',
    },
    {
      description: 'the clock set back',
      previous: '2026-06-01T10:00:00.000Z',
      now: '2026-06-01T09:00:00.000Z',
      expects: '2026-06-01T10:00:00.001Z',
    },
  ];
  for (const c of cases)
    it(`a change's time is strictly after the last one: ${c.description}`, () => {
      expect(nextUpdatedAt(c.previous, Date.parse(c.now))).to.equal(c.expects);
    });

  it('asks only the sinks that queue, and nothing when the change owes nothing', () => {
    const asked: string[] = [];
    const queuing: TicketSink = { name: 'q', owe: (c, t) => (asked.push(`${c.event} ${t.id}`), []) };
    const direct: TicketSink = { name: 'd', announce: async () => undefined };
    oweTo([queuing, direct], { event: 'ticket.updated' })(ticket as Ticket);
    oweTo([queuing, direct], () => undefined)(ticket as Ticket);
    expect(asked).to.deep.equal(['ticket.updated T-000001']);
  });
});

describe('the embedded outbox at open', () => {
  it('hands what a crash left owed in tickets.json to its queue once, even when the queue already had it', async () => {
    const tmp = tempDir();
    try {
      // A store without an outlet keeps what a change owes in the file, as a crash before the hand-over would.
      const alone = await TicketStore.open(tmp.dir);
      const owe = (t: Ticket) => [
        owedDelivery('webhook', t, 'ticket.created', { ticket: { id: t.id } }),
        owedDelivery('mail', t, 'mail.created', { ticketId: t.id }),
      ];
      const first = await alone.create(
        {
          channel: 'api',
          lang: 'en',
          email: 'a@example.com',
          subject: 'One',
          reason: 'user',
          transcript: [],
          shown: [],
        },
        owe,
      );
      await alone.create(
        {
          channel: 'api',
          lang: 'en',
          email: 'b@example.com',
          subject: 'Two',
          reason: 'user',
          transcript: [],
          shown: [],
        },
        owe,
      );
      // The first one's webhook had reached its queue's journal before the crash.
      const queue = await FileDeliveryQueue.open(tmp.dir);
      await queue.adopt([owe(first)[0]!].map(({ queue: _q, ...d }) => d));

      for (let open = 0; open < 2; open++) {
        const stores = await openStores({ dataDir: tmp.dir, bot: { stateTtlDays: 30 } });
        expect((await stores.deliveries.all()).map((d) => (d.payload.ticket as Ticket).id)).to.deep.equal([
          'T-000001',
          'T-000002',
        ]);
        expect((await stores.mail.all()).map((d) => d.payload.ticketId)).to.deep.equal(['T-000001', 'T-000002']);
        await stores.close();
      }
      const file = JSON.parse(readFileSync(path.join(tmp.dir, 'tickets.json'), 'utf8')) as { outbox: unknown[] };
      expect(file.outbox).to.deep.equal([]);
    } finally {
      tmp.cleanup();
    }
  });
});
