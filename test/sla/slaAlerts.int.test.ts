import { expect } from 'chai';
import { sendSlaAlerts } from '../../core/commands/sendSlaAlerts.ts';
import type { CoreServices } from '../../core/services.ts';
import { slaSchema } from '../../core/sla/slaPolicy.ts';
import type { TicketRepository } from '../../core/storage/ports.ts';
import type { Ticket, TicketChangeEvent, TicketSink } from '../../core/tickets/types.ts';
import { parsePolicy } from '../../core/triage/policyFile.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';

/** Around the clock: P2 reply within 1 h, warning at 75 %. */
const POLICY = parsePolicy('_sla.yml', 'warningAt: 0.75\ntargets:\n  P2: { firstResponse: 1h }\n', slaSchema).policy!;

/** A sink that records what it was told, as the webhook would queue it. */
function recordingSink(): TicketSink & { told: { event: TicketChangeEvent; id: string; target: unknown }[] } {
  const told: { event: TicketChangeEvent; id: string; target: unknown }[] = [];
  return {
    name: 'recording',
    told,
    deliver: async () => undefined,
    announce: async (event, t, detail) => void told.push({ event, id: t.id, target: detail?.target }),
  };
}

const coreOver = (tickets: TicketRepository, sink: TicketSink) =>
  ({
    tickets,
    sinks: [sink],
    index: { get: () => ({ manifest: { sla: POLICY } }) },
  }) as unknown as Pick<CoreServices, 'tickets' | 'sinks' | 'index'>;

describeStorageContract('SLA alerts: sla.warning and sla.breached once per ticket and target', (pair) => {
  let ticket: Ticket;
  const after = (minutes: number) => new Date(Date.parse(ticket.createdAt) + minutes * 60_000);

  beforeEach(async () => {
    ticket = await pair().a.tickets.create({
      channel: 'widget',
      lang: 'es',
      email: 'ana@example.com',
      subject: 'No puedo pagar',
      reason: 'user',
      transcript: [],
      shown: [],
      priority: 'P2',
    });
  });

  it('nothing before the warning share; a warning at 75 %; a breach past the target; never twice', async () => {
    const sink = recordingSink();
    const core = coreOver(pair().a.tickets, sink);
    expect(await sendSlaAlerts(core, { now: after(30) })).to.equal(0);
    expect(await sendSlaAlerts(core, { now: after(46) })).to.equal(1);
    expect(await sendSlaAlerts(core, { now: after(50) })).to.equal(0);
    expect(await sendSlaAlerts(core, { now: after(61) })).to.equal(1);
    expect(await sendSlaAlerts(core, { now: after(90) })).to.equal(0);
    expect(sink.told).to.deep.equal([
      { event: 'sla.warning', id: ticket.id, target: 'firstResponse' },
      { event: 'sla.breached', id: ticket.id, target: 'firstResponse' },
    ]);
  });

  it('two instances checking at once send each alert once', async () => {
    const [sa, sb] = [recordingSink(), recordingSink()];
    const now = after(61);
    await Promise.all([
      sendSlaAlerts(coreOver(pair().a.tickets, sa), { now }),
      sendSlaAlerts(coreOver(pair().b.tickets, sb), { now }),
    ]);
    const all = [...sa.told, ...sb.told].map((x) => x.event).sort();
    expect(all).to.deep.equal(['sla.breached']);
  });

  it('a first response in time sends nothing', async () => {
    await pair().a.tickets.update(ticket.id, (t) => void (t.firstResponseAt = after(10).toISOString()));
    const sink = recordingSink();
    expect(await sendSlaAlerts(coreOver(pair().a.tickets, sink), { now: after(120) })).to.equal(0);
  });
});
