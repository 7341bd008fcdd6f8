import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { routeQuestion } from '../../core/commands/routeQuestion.ts';
import { openTestCore, type TestCore } from '../helpers/core.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { runKb } from '../tickets/cli.ts';
import { triageKb } from './triageKb.ts';

describe('routing a question before any ticket: routeQuestion and `npm run kb -- route`', function () {
  this.timeout(180_000);
  let kb: { dir: string; cleanup: () => void };
  let t: TestCore;

  before(async () => {
    kb = triageKb();
    t = await openTestCore({ kbDir: kb.dir });
  });
  after(async () => {
    await t.close();
    kb.cleanup();
  });

  it('triages as ticket creation does: the best article, then the rule the verified plan matches', async () => {
    const r = await routeQuestion(t.core, {
      question: 'I was charged twice for my order',
      channel: 'widget',
      attributes: { plan: 'paid' },
    });
    expect(r.best?.articleId).to.equal('double-charge');
    expect(r.rule).to.deep.equal({ name: 'paying customers with an incident', position: 1 });
    expect(r.fields).to.deep.include({ type: 'incident', priority: 'P1', team: 'billing', tags: ['vip'] });
  });

  it('without the attribute the rule does not match, and says why', async () => {
    const r = await routeQuestion(t.core, { question: 'I was charged twice for my order', channel: 'widget' });
    expect(r.rule).to.equal(undefined);
    expect(r.steps).to.include('rule 1 "paying customers with an incident": no (the user has no verified plan)');
    expect(r.fields.priority).to.equal('P3');
  });

  it('the CLI prints what would happen and why; a broken routing file stops it with file and line', async () => {
    const env = { KB_DIR: kb.dir, DATA_DIR: tempDir().dir, WORD_VECTORS: 'off' };
    const ok = await runKb(['route', 'total outage of the intranet', '--attr', 'plan=paid'], env);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.contain('rule 2 "outages": matches; sets team network, priority P2, type incident');
    expect(ok.stdout).to.contain('→ type incident, priority P2, team network');

    const broken = tempDir();
    writeFileSync(path.join(broken.dir, '_routing.yml'), 'rules:\n  - name: x\n    set: { priority: P9 }\n');
    const bad = await runKb(['route', 'anything'], { ...env, KB_DIR: broken.dir });
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain('_routing.yml:3: error: rules.0.set.priority');
    broken.cleanup();
  });
});
