import { expect } from 'chai';
import { tabulatedClock, walkingClock } from '../../core/sla/businessClock.ts';
import { slaSchema, type SlaPolicy } from '../../core/sla/slaPolicy.ts';
import { parsePolicy } from '../../core/triage/policyFile.ts';

/** Two periods a day, a holiday, and the October clock change in Madrid inside the table. */
const CAL = ((): SlaPolicy => {
  const { policy } = parsePolicy(
    '_sla.yml',
    `timezone: Europe/Madrid
hours:
  mon-fri: ["09:00-13:00", "15:00-18:00"]
  sat: ["10:00-12:00"]
holidays: [2026-10-12]
targets: { P2: { firstResponse: 1h } }
`,
    slaSchema,
  );
  return policy!;
})();

const FROM = Date.parse('2026-10-01T00:00:00Z');
const TO = Date.parse('2026-11-15T00:00:00Z');

/** A fixed pseudo-random sequence, so a failure names the same instants every run. */
function* instants(n: number): Generator<number> {
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield FROM + (x % (TO - FROM));
  }
}

describe('Business clock tabulated for many tickets', () => {
  const walk = walkingClock(CAL);
  const table = tabulatedClock(CAL, FROM, TO);

  it('gives the same business time as the walk between any two instants (holiday and clock change inside)', () => {
    const xs = [...instants(400)];
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const [a, b] = [Math.min(xs[i]!, xs[i + 1]!), Math.max(xs[i]!, xs[i + 1]!)];
      expect(table.between(a, b), `${new Date(a).toISOString()} → ${new Date(b).toISOString()}`).to.equal(
        walk.between(a, b),
      );
    }
  });

  it('gives the same due instant as the walk, including a target that ends exactly at a period end and 0 ms', () => {
    const hour = 3_600_000;
    for (const a of instants(100))
      for (const ms of [0, 1, 30 * 60_000, 4 * hour, 7 * hour, 20 * hour])
        expect(table.add(a, ms), `${new Date(a).toISOString()} + ${ms}`).to.equal(walk.add(a, ms));
    const monday9 = Date.parse('2026-10-05T07:00:00Z'); // 09:00 in Madrid (UTC+2)
    expect(table.add(monday9, 4 * hour)).to.equal(Date.parse('2026-10-05T11:00:00Z')); // 13:00, the period's end
  });

  it('falls back to the walk outside the table', () => {
    const later = Date.parse('2027-03-01T08:00:00Z');
    expect(table.between(later, later + 86_400_000)).to.equal(walk.between(later, later + 86_400_000));
    expect(table.add(TO - 3_600_000, 100 * 3_600_000)).to.equal(walk.add(TO - 3_600_000, 100 * 3_600_000));
  });
});
