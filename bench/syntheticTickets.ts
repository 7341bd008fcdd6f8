/**
 * The tickets report benches' synthetic tickets: N tickets over the 180
 * days before NOW, each with its messages, status changes and rating (about
 * seven events per ticket), P1–P4 under an SLA policy on Madrid business
 * hours. Deterministic, so two runs (or two processes) time the same tickets.
 */
import type { IndexHolder } from '../core/services.ts';
import { slaSchema } from '../core/sla/slaPolicy.ts';
import type { Ticket, TicketMessage } from '../core/tickets/types.ts';
import { parsePolicy } from '../core/triage/policyFile.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const NOW = Date.parse('2026-12-01T00:00:00Z');
const START = NOW - 180 * DAY;

const { policy } = parsePolicy(
  '_sla.yml',
  `timezone: Europe/Madrid
hours:
  mon-fri: ["09:00-17:00"]
holidays: [2026-10-12, 2026-11-01]
targets:
  P1: { firstResponse: 30m, resolution: 4h }
  P2: { firstResponse: 1h, resolution: 8h }
  P3: { firstResponse: 4h, resolution: 24h }
  P4: { resolution: 40h }
`,
  slaSchema,
);
/** An index holder serving only the SLA policy: all the report reads of it. */
export const index = { get: () => ({ manifest: { sla: policy }, articles: new Map() }) } as unknown as IndexHolder;

const CATEGORIES = ['billing', 'accounts', 'network', 'printers', 'orders', 'devices'];
const TEAMS = ['L1', 'L2', 'network', 'finance'];
const CHANNELS = ['widget', 'msteams', 'webchat', 'whatsapp', 'email'] as const;
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;

/** A deterministic generator, so two runs time the same tickets. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/** N tickets and how many events their histories hold. */
export function synthTickets(N: number): { tickets: Ticket[]; events: number } {
  const rnd = random(7);
  let events = 0;
  const tickets = Array.from({ length: N }, (_, i): Ticket => {
    const created = START + Math.floor((i / N) * 180 * DAY);
    const agent = `agent${Math.floor(rnd() * 20)}`;
    const messages: TicketMessage[] = [];
    const statusHistory: Ticket['statusHistory'] = [];
    const msg = (from: TicketMessage['from'], at: number, internal = false) =>
      messages.push({
        id: `m${messages.length}`,
        from,
        text: 'ok',
        internal,
        at: new Date(at).toISOString(),
        author: agent,
      });
    const move = (status: Ticket['status'], at: number) =>
      statusHistory.push({ at: new Date(at).toISOString(), status });
    let t = created;
    let status: Ticket['status'] = 'open';
    let firstResponseAt: string | undefined;
    let solvedAt: string | undefined;
    let reopens = 0;
    let rating: Ticket['rating'];
    const age = NOW - created;
    const fate = rnd();
    const step = (maxHours: number) => Math.min(NOW - 1, t + Math.floor(rnd() * maxHours * HOUR) + 60_000);
    if (rnd() < 0.2) msg('agent', (t = step(2)), true); // an internal note first
    if (fate > 0.05 || age > 3 * DAY) {
      msg('agent', (t = step(30)));
      firstResponseAt = messages.at(-1)!.at;
      move((status = 'pending'), t);
      if (rnd() < 0.4) {
        msg('customer', (t = step(20)));
        move((status = 'open'), t);
        msg('agent', (t = step(10)));
        move((status = 'pending'), t);
      }
      if (fate > 0.12 || age > 20 * DAY) {
        move((status = 'solved'), (t = step(48)));
        solvedAt = new Date(t).toISOString();
        if (rnd() < 0.08) {
          msg('customer', (t = step(100)));
          move((status = 'open'), t);
          reopens++;
          move((status = 'solved'), (t = step(24)));
          solvedAt = new Date(t).toISOString();
        }
        if (rnd() < 0.3) rating = { score: rnd() < 0.8 ? 'good' : 'bad', at: new Date(step(24)).toISOString() };
        if (t + 4 * DAY < NOW) move((status = 'closed'), t + 4 * DAY);
      } else if (rnd() < 0.3) move((status = 'on_hold'), step(5));
    }
    events += 1 + messages.length + statusHistory.length + (rating ? 1 : 0);
    return {
      id: `T-${String(i + 1).padStart(6, '0')}`,
      status,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(Math.max(created, t)).toISOString(),
      channel: CHANNELS[i % CHANNELS.length]!,
      lang: i % 2 ? 'en' : 'es',
      email: `user${i}@example.com`,
      subject: `Ticket ${i}`,
      reason: 'no_answer',
      transcript: [],
      shown: [],
      tags: [],
      notes: [],
      messages,
      statusHistory,
      ...(firstResponseAt ? { firstResponseAt } : {}),
      ...(solvedAt ? { solvedAt } : {}),
      ...(reopens ? { reopens } : {}),
      ...(rating ? { rating } : {}),
      ...(rnd() < 0.7 ? { assignee: agent } : {}),
      category: CATEGORIES[Math.floor(rnd() * CATEGORIES.length)]!,
      team: TEAMS[i % TEAMS.length]!,
      priority: PRIORITIES[Math.floor(rnd() * 4)]!,
      type: 'incident',
    };
  });
  return { tickets, events };
}
