import { expect } from 'chai';
import pg from 'pg';
import { slaSchema } from '../../core/sla/slaPolicy.ts';
import type { Stores, TicketDraft } from '../../core/storage/ports.ts';
import type { Ticket } from '../../core/tickets/types.ts';
import { policyFingerprint, queueOrderFor } from '../../core/triage/queueOrder.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';
import { ticketDraft } from '../helpers/ticketDraft.ts';

const draft = (over: Partial<TicketDraft> = {}): TicketDraft =>
  ticketDraft({ subject: 'Charged twice', team: 'billing', ...over });

const routing = { teams: { helpdesk: { queue: 'fifo' as const } } };
/** Around the clock (UTC), so due times are creation plus target. */
const policyA = slaSchema.parse({
  targets: { P1: { firstResponse: '1h' }, P2: { firstResponse: '4h' }, P3: { resolution: '8h' } },
  plans: { paid: { P3: { firstResponse: '2h' } } },
});
/** A stricter P3 resolution target and no plans: the P3 tickets change places. */
const policyB = slaSchema.parse({
  targets: { P1: { firstResponse: '1h' }, P2: { firstResponse: '4h' }, P3: { resolution: '2h' } },
});
const at = (hhmm: string, day = '07') => `2026-12-${day}T${hhmm}:00.000Z`;

/** A ticket as an agent's changes leave it: created at `createdAt`, then the rest (times are the store's otherwise). */
async function make(stores: Stores, name: string, over: Partial<Ticket>, ids: Map<string, string>): Promise<void> {
  const { team, priority, attributes, ...later } = over;
  const t = await stores.tickets.create(
    draft({
      subject: name,
      ...(team ? { team } : {}),
      ...(priority ? { priority } : {}),
      ...(attributes ? { attributes } : {}),
    }),
  );
  await stores.tickets.update(t.id, (x) => void Object.assign(x, later));
  ids.set(t.id, name);
}

/** Every page of a queue, read `pageSize` at a time: the names in order, and the total each page gave. */
async function readQueue(stores: Stores, team: string | undefined, sla: typeof policyA, names: Map<string, string>) {
  const order = queueOrderFor({ sla, routing }, team);
  const seen: string[] = [];
  const totals = new Set<number>();
  for (let page = 1; ; page++) {
    const got = await stores.tickets.list({ team, status: 'open', queue: order, page, pageSize: 4 });
    totals.add(got.total);
    seen.push(...got.tickets.map((t) => names.get(t.id) ?? t.id));
    if (got.tickets.length < 4) return { seen, totals: [...totals] };
  }
}

/** How many PostgreSQL rows hold a key made under the policy named `policy`. */
async function keyedUnder(databaseUrl: string, policy: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM tickets WHERE queue_policy = $1', [
      policy,
    ]);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** The team queue (issue 18) ordered by the store, uncapped and paged: the same order from the embedded store and PostgreSQL. */
describeStorageContract('TicketRepository: queue order', (pair) => {
  const orderA = [
    'P1 breached yesterday',
    'P1 due 09:00',
    'P1 due 09:30',
    'P2 due 10:00',
    'P2 due 11:00',
    'P2 answered, no due time',
    'P3 paid, first response due 11:00',
    'P3 reopened, resolution due 13:00',
    'P3 resolution due 16:00',
    'P4 without a target',
    'no priority, 01:00',
    'no priority, 02:00',
  ];
  // Under policy B: the reopened one used 1 h of 2 before it paused, so it is due 07:00; then 10:00, then 11:00.
  const orderB = [
    ...orderA.slice(0, 6),
    'P3 reopened, resolution due 13:00',
    'P3 resolution due 16:00',
    'P3 paid, first response due 11:00',
    ...orderA.slice(9),
  ];

  async function seed(stores: Stores): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const seedOne = (name: string, over: Partial<Ticket>) => make(stores, name, over, ids);
    // Created in an order unlike the queue's, so neither creation nor id order passes for it.
    await seedOne('no priority, 02:00', { createdAt: at('02:00') });
    await seedOne('P3 resolution due 16:00', { priority: 'P3', createdAt: at('08:00') });
    await seedOne('P2 due 11:00', { priority: 'P2', createdAt: at('07:00') });
    await seedOne('P1 due 09:30', { priority: 'P1', createdAt: at('08:30') });
    await seedOne('P2 answered, no due time', {
      priority: 'P2',
      createdAt: at('05:00'),
      firstResponseAt: at('05:30'),
    });
    await seedOne('P3 paid, first response due 11:00', {
      priority: 'P3',
      attributes: { plan: 'paid' },
      createdAt: at('09:00'),
    });
    await seedOne('P4 without a target', { priority: 'P4', createdAt: at('03:00') });
    await seedOne('P1 due 09:00', { priority: 'P1', createdAt: at('08:00') });
    await seedOne('no priority, 01:00', { createdAt: at('01:00') });
    await seedOne('P3 reopened, resolution due 13:00', {
      priority: 'P3',
      createdAt: at('04:00'),
      statusHistory: [
        { at: at('05:00'), status: 'pending' },
        { at: at('06:00'), status: 'open' },
      ],
    });
    await seedOne('P2 due 10:00', { priority: 'P2', createdAt: at('06:00') });
    await seedOne('P1 breached yesterday', { priority: 'P1', createdAt: at('00:00', '06') });
    // Not in billing's open queue: another team's, and a solved one.
    await seedOne('network P1', { team: 'network', priority: 'P1', createdAt: at('07:00') });
    await seedOne('solved P1', { priority: 'P1', createdAt: at('07:00'), status: 'solved' });
    return ids;
  }

  it('orders a team queue by priority, due time and age over every page, on either instance', async () => {
    const { a, b } = pair();
    const names = await seed(a);
    const fromB = await readQueue(b, 'billing', policyA, names);
    expect(fromB.seen).to.deep.equal(orderA);
    expect(fromB.totals).to.deep.equal([12]);
    expect((await readQueue(a, 'billing', policyA, names)).seen).to.deep.equal(orderA);
    // Without a team: every team's open tickets, in the same order.
    const all = (await readQueue(a, undefined, policyA, names)).seen;
    expect(all.filter((n) => n !== 'network P1')).to.deep.equal(orderA);
    expect(all.indexOf('network P1')).to.be.within(1, 3);
  });

  it('follows a change of SLA policy, and a change written under the old policy', async () => {
    const { a, b } = pair();
    const names = await seed(a);
    expect((await readQueue(a, 'billing', policyA, names)).seen).to.deep.equal(orderA);
    expect((await readQueue(b, 'billing', policyB, names)).seen).to.deep.equal(orderB);
    // PostgreSQL re-keys only what the read ordered (billing's open tickets), never the whole table.
    if (pair().databaseUrl) expect(await keyedUnder(pair().databaseUrl!, policyFingerprint(policyB))).to.equal(12);
    // Instance a still serves policy A when it changes a ticket: b, under B, must not take a's key for it.
    const p3 = [...names].find(([, n]) => n === 'P3 resolution due 16:00')![0];
    await a.tickets.update(p3, (t) => void (t.tags = ['vip']));
    expect((await readQueue(b, 'billing', policyB, names)).seen).to.deep.equal(orderB);
    expect((await readQueue(a, 'billing', policyA, names)).seen).to.deep.equal(orderA);
    // A change of priority moves the ticket at once: P1, due 09:00 like the other made at 08:00, and made before it.
    await b.tickets.update(p3, (t) => void (t.priority = 'P1'));
    expect((await readQueue(a, 'billing', policyA, names)).seen.slice(0, 4)).to.deep.equal([
      'P1 breached yesterday',
      'P3 resolution due 16:00',
      'P1 due 09:00',
      'P1 due 09:30',
    ]);
  });

  it('first come, first served for a fifo team: by creation, then id, whatever the priority', async () => {
    const { a, b } = pair();
    const names = new Map<string, string>();
    await make(a, 'P4 at 08:00', { team: 'helpdesk', priority: 'P4', createdAt: at('08:00') }, names);
    await make(a, 'P1 at 09:00', { team: 'helpdesk', priority: 'P1', createdAt: at('09:00') }, names);
    await make(a, 'none at 07:00', { team: 'helpdesk', createdAt: at('07:00') }, names);
    for (let i = 0; i < 3; i++)
      await make(a, `P2 at 08:00 #${i}`, { team: 'helpdesk', priority: 'P2', createdAt: at('08:00') }, names);
    const { seen, totals } = await readQueue(b, 'helpdesk', policyA, names);
    expect(seen[0]).to.equal('none at 07:00');
    // Equal times: the ticket made first has the lower id.
    expect(seen.slice(1, 5)).to.deep.equal(['P4 at 08:00', 'P2 at 08:00 #0', 'P2 at 08:00 #1', 'P2 at 08:00 #2']);
    expect(seen[5]).to.equal('P1 at 09:00');
    expect(totals).to.deep.equal([6]);
  });
});
