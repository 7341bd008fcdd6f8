import { expect } from 'chai';
import { CONFIRMED, NOT_HELPFUL } from '../../core/reports/outcomes.ts';
import { confirmed, leftNotHelpful, notHelpful } from '../../core/reports/verdicts.ts';

describe('verdicts: what "not helpful" means', () => {
  const cases = [
    { flags: 0, notHelpful: false, confirmed: false, leftNotHelpful: false, description: 'no verdict' },
    {
      flags: NOT_HELPFUL,
      notHelpful: true,
      confirmed: false,
      leftNotHelpful: true,
      description: 'a "No" and nothing after: not helpful, and left so',
    },
    { flags: CONFIRMED, notHelpful: false, confirmed: true, leftNotHelpful: false, description: 'a "Yes"' },
    {
      flags: NOT_HELPFUL | CONFIRMED,
      notHelpful: true,
      confirmed: true,
      leftNotHelpful: false,
      description: 'a "No" then a "Yes" on a suggestion: counted as not helpful, but settled (no gap)',
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      expect({
        notHelpful: notHelpful(c.flags),
        confirmed: confirmed(c.flags),
        leftNotHelpful: leftNotHelpful(c.flags),
      }).to.deep.equal({ notHelpful: c.notHelpful, confirmed: c.confirmed, leftNotHelpful: c.leftNotHelpful });
    });
  }
});
