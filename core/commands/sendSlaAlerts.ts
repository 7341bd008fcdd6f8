import type { CoreServices } from '../services.ts';
import { computeSla } from '../sla/computeSla.ts';
import { announceToSinks } from '../tickets/handToSinks.ts';
import { oweTo, prepareSinks } from '../tickets/outbox.ts';
import type { Ticket } from '../tickets/types.ts';

/** Tickets whose clocks can still move: solved and closed ones have stopped. */
const ACTIVE = ['open', 'pending', 'on_hold'] as const;
const PAGE = 500;

/**
 * Tell the webhook that a ticket's SLA target is near (`sla.warning`) or
 * missed (`sla.breached`), once per ticket and target. The alert is marked
 * on the ticket under the store's lock, and queued in the same write (the
 * outbox), so instances running this together send it once and a crash
 * loses neither half. Resolves with the alerts queued.
 */
export async function sendSlaAlerts(
  core: Pick<CoreServices, 'tickets' | 'sinks' | 'index'>,
  input: { now?: Date; stopped?: () => boolean } = {},
): Promise<number> {
  const policy = core.index.get().manifest.sla;
  if (!policy || !core.sinks.some((s) => s.announce || s.owe)) return 0;
  await prepareSinks(core.sinks);
  const now = input.now ?? new Date();
  let sent = 0;
  for (const status of ACTIVE)
    for (let page = 1; ; page++) {
      const { tickets } = await core.tickets.list({ status, page, pageSize: PAGE });
      for (const t of tickets) {
        if (input.stopped?.()) return sent;
        for (const alert of alertsDue(t, policy, now)) {
          let marked = false;
          const detail = { target: alert.target, dueAt: alert.dueAt };
          const updated = await core.tickets.update(
            t.id,
            (x) => {
              if (x.slaAlerts?.includes(alert.key)) return false;
              (x.slaAlerts ??= []).push(alert.key);
              marked = true;
            },
            oweTo(core.sinks, { event: alert.event, detail }),
          );
          if (!marked) continue;
          await announceToSinks(core.sinks, alert.event, updated, detail);
          sent++;
        }
      }
      if (tickets.length < PAGE) break;
    }
  return sent;
}

/** The alerts a ticket is owed now and has not been sent. */
function alertsDue(t: Ticket, policy: Parameters<typeof computeSla>[1], now: Date) {
  const status = computeSla(t, policy, now);
  const out: { key: string; event: 'sla.warning' | 'sla.breached'; target: string; dueAt?: string }[] = [];
  for (const [target, c] of Object.entries(status?.clocks ?? {})) {
    const event =
      c.state === 'breached'
        ? 'sla.breached'
        : (c.state === 'running' || c.state === 'paused') && c.usedMs >= policy.warningAt * c.targetMs
          ? 'sla.warning'
          : undefined;
    const key = event && `${target}:${event.slice(4)}`;
    if (event && key && !t.slaAlerts?.includes(key)) out.push({ key, event, target, dueAt: c.dueAt });
  }
  return out;
}
