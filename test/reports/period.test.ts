import { expect } from 'chai';
import { periodOf, rangeEnd } from '../../core/reports/period.ts';

describe('date ranges: a date `to` includes that whole day, an ISO time is exclusive', () => {
  const cases = [
    { to: '2026-03-01', end: '2026-03-02T00:00:00.000Z', description: 'a date ends at the next midnight (UTC)' },
    {
      to: '2026-02-28',
      end: '2026-03-01T00:00:00.000Z',
      description: 'the last day of a month ends on the first of the next',
    },
    { to: '2026-03-01T12:30:00Z', end: '2026-03-01T12:30:00Z', description: 'an ISO time is the end itself' },
  ];
  for (const c of cases) {
    it(c.description, () => {
      expect(rangeEnd(c.to)).to.equal(c.end);
    });
  }

  it('refuses a date that does not exist, naming the field', () => {
    expect(() => rangeEnd('2026-02-30')).to.throw('to: must be a date (YYYY-MM-DD) or an ISO time');
  });

  it('reports read `to` by the same rule', () => {
    const now = Date.parse('2026-04-01T00:00:00Z');
    expect(periodOf({ from: '2026-03-01', to: '2026-03-01' }, { windowDays: 7, now }).to).to.equal(
      rangeEnd('2026-03-01'),
    );
    expect(periodOf({ from: '2026-03-01', to: '2026-03-01T12:30:00Z' }, { windowDays: 7, now }).to).to.equal(
      '2026-03-01T12:30:00.000Z',
    );
  });
});
