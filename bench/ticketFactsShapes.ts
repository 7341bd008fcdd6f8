/**
 * Benchmark: what decoding the tickets report's facts costs per shape of
 * `history` (issue 18), in this process only (no database): the facts of
 * bench/syntheticTickets.ts' 140,000 tickets as JSON texts of 800 tickets
 * each (as pgTicketFacts receives them, one per day of creation), parsed
 * and kept, the CPU time printed.
 *
 *   npx tsx bench/ticketFactsShapes.ts keyed|flatabs|flatrel
 *
 * keyed: today's [[ms, status], …]; flatabs: [ms, status, ms, status, …];
 * flatrel: the same with ms relative to creation (small integers, no heap
 * number each). Run each mode in a process of its own.
 */
import { ticketFacts, type TicketFacts } from '../core/reports/ticketFacts.ts';
import { synthTickets } from './syntheticTickets.ts';

const mode = process.argv[2] ?? 'keyed';
if (!['keyed', 'flatabs', 'flatrel'].includes(mode)) throw new Error(`unknown mode ${mode}: keyed, flatabs or flatrel`);
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const facts = synthTickets(140_000).tickets.map(ticketFacts);
const shaped = facts.map((f: TicketFacts) =>
  mode === 'keyed'
    ? f
    : { ...f, history: f.history.flatMap(([ms, s]) => [mode === 'flatabs' ? ms : ms - f.createdMs, s]) },
);
const texts: string[] = [];
for (let i = 0; i < shaped.length; i += 800) texts.push(JSON.stringify(shaped.slice(i, i + 800)));
const kept: unknown[] = [];
const c0 = cpu();
for (const text of texts) for (const f of JSON.parse(text) as unknown[]) kept.push(f);
const c1 = cpu();
const mb = texts.reduce((n, t) => n + t.length, 0) / 1e6;
console.log(`${mode}: ${mb.toFixed(1)} MB, parse and keep ${(c1 - c0).toFixed(2)} s CPU (${kept.length} tickets)`);
