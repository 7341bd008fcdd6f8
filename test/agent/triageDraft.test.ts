import { expect } from 'chai';
import { mergeRedraw, type TriageValues } from '../../agent/src/triageDraft.ts';

const base: TriageValues = {
  type: 'question',
  impact: '',
  urgency: '',
  priority: 'P4',
  category: '',
  team: 'desk',
  tags: 'vpn',
};

/**
 * The triage form drawn again while an agent edits it: untouched fields
 * follow the server, edited ones stay, and a field both changed to different
 * values is named as a conflict (agent/src/triageDraft.ts).
 */
describe('the triage form drawn again under an edit', () => {
  it('keeps the edit, follows the server elsewhere, and names no conflict where only one side changed', () => {
    const current = { ...base, team: 'network' };
    const fresh = { ...base, category: 'Mail' };
    expect(mergeRedraw(base, current, fresh)).to.deep.equal({
      values: { ...base, team: 'network', category: 'Mail' },
      conflicts: [],
    });
  });

  it('both changed to different values: the agent’s kept, named; to the same value: no conflict', () => {
    const current = { ...base, type: 'incident', team: 'network' };
    const fresh = { ...base, type: 'service_request', team: 'network' };
    expect(mergeRedraw(base, current, fresh)).to.deep.equal({
      values: { ...base, type: 'incident', team: 'network' },
      conflicts: ['type'],
    });
  });

  it('impact, urgency and priority are kept or taken together, never mixed', () => {
    const current = { ...base, priority: 'P2' };
    const fresh = { ...base, impact: 'high', urgency: 'high', priority: 'P1' };
    expect(mergeRedraw(base, current, fresh)).to.deep.equal({ values: current, conflicts: ['priority'] });
    const theirsOnly = mergeRedraw(base, base, fresh);
    expect(theirsOnly.values).to.deep.equal(fresh);
  });

  it('tags compare as stored (case, spaces, repeats): retyping them is no edit', () => {
    const current = { ...base, tags: ' VPN ,vpn' };
    const fresh = { ...base, tags: 'vpn, urgent' };
    expect(mergeRedraw(base, current, fresh)).to.deep.equal({ values: fresh, conflicts: [] });
  });
});
