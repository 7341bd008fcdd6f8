import { expect } from 'chai';
import { parseArticle } from '../../core/articles/parseArticle.ts';
import { askQuestion } from '../../core/commands/askQuestion.ts';
import { openTicket } from '../../core/commands/openTicket.ts';
import { parsePolicy } from '../../core/triage/policyFile.ts';
import { routingSchema, type RoutingPolicy } from '../../core/triage/routingRules.ts';
import { triageTicket, type ArticleTriage, type TriageFacts } from '../../core/triage/triageTicket.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { openTestCore, type TestCore } from '../helpers/core.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { runKb } from '../tickets/cli.ts';

const routing = (yaml: string): RoutingPolicy => {
  const { policy, problems } = parsePolicy('_routing.yml', yaml, routingSchema);
  expect(problems).to.deep.equal([]);
  return policy!;
};

const facts = (over: Partial<TriageFacts> = {}): TriageFacts => ({
  question: 'the VPN drops every few minutes',
  channel: 'widget',
  lang: 'en',
  ...over,
});

const vpnArticle: ArticleTriage = { id: 'vpn-drops', impact: 'medium', urgency: 'high', tags: [] };

const RULES = routing(`
defaults: { impact: low, urgency: medium }
rules:
  - name: the whole floor
    when: { words: [whole floor] }
    set: { impact: high, urgency: high }
  - name: the board
    when: { attributes: { plan: board } }
    set: { priority: P1 }
`);

/**
 * Done when: an article and a routing rule may give a ticket's priority as
 * impact × urgency (the matrix of core/triage/priorityMatrix.ts decides it,
 * and the ticket keeps both sides and who decided), beside the older
 * `priority` key; one source gives its priority one way only, checked by
 * `npm run kb -- lint` with file and line, and `route` shows how.
 */
describe('impact and urgency from articles and routing rules', function () {
  this.timeout(180_000);

  describe('triage', () => {
    it("an article's impact × urgency gives the priority, and the ticket keeps both and who decided", () => {
      const out = triageTicket({ article: vpnArticle, routing: RULES, facts: facts() });
      expect(out.fields).to.deep.include({ priority: 'P2', impact: 'medium', urgency: 'high' });
      expect(out.fields.triage).to.deep.include({ priority: 'article' });
      expect(out.steps[0]).to.equal('best article vpn-drops: priority P2 (impact medium × urgency high)');
    });

    it('a matching rule replaces the whole priority: its impact × urgency, or its priority without the article’s sides', () => {
      const floor = triageTicket({
        article: vpnArticle,
        routing: RULES,
        facts: facts({ question: 'no VPN for the whole floor' }),
      });
      expect(floor.fields).to.deep.include({ priority: 'P1', impact: 'high', urgency: 'high' });
      expect(floor.fields.triage).to.deep.include({ priority: 'rule' });
      expect(floor.steps).to.include(
        'rule 1 "the whole floor": matches; sets priority P1 (impact high × urgency high)',
      );

      const board = triageTicket({
        article: vpnArticle,
        routing: RULES,
        facts: facts({ attributes: { plan: 'board' } }),
      });
      expect(board.fields).to.deep.include({ priority: 'P1' });
      expect(board.fields).to.not.have.any.keys('impact', 'urgency');
      expect(board.fields.triage).to.deep.include({ priority: 'rule' });
    });

    it("the routing file's default impact × urgency, when neither article nor rule decided", () => {
      const out = triageTicket({ routing: RULES, facts: facts() });
      expect(out.fields).to.deep.include({ priority: 'P4', impact: 'low', urgency: 'medium' });
      expect(out.fields.triage).to.deep.include({ priority: 'default' });
      expect(out.steps.at(-1)).to.equal('defaults: type question, priority P4 (impact low × urgency medium)');
    });

    it('an article’s `priority` still works, and a rule’s impact × urgency replaces it', () => {
      const old: ArticleTriage = { id: 'old', priority: 'P4', tags: [] };
      expect(triageTicket({ article: old, routing: RULES, facts: facts() }).fields).to.deep.include({
        priority: 'P4',
      });
      const out = triageTicket({
        article: old,
        routing: RULES,
        facts: facts({ question: 'the whole floor is offline' }),
      });
      expect(out.fields).to.deep.include({ priority: 'P1', impact: 'high', urgency: 'high' });
    });
  });

  describe('checked with file and line', () => {
    it('front matter: impact and urgency kept; both ways at once, or one side alone, refused on its line', () => {
      const ok = parseArticle('vpn.md', buildArticle({ impact: 'high', urgency: 'low' }), { defaultLang: 'en' });
      expect(ok.problems).to.deep.equal([]);
      expect(ok.article).to.deep.include({ impact: 'high', urgency: 'low' });

      const both = parseArticle('both.md', '---\ntitle: Both\npriority: P1\nimpact: high\nurgency: low\n---\nBody.\n', {
        defaultLang: 'en',
      });
      expect(both.article).to.equal(undefined);
      expect(both.problems).to.deep.include({
        file: 'both.md',
        line: 3,
        field: 'priority',
        severity: 'error',
        message: 'priority is given beside impact and urgency: give priority, or impact and urgency, not both',
      });

      const half = parseArticle('half.md', '---\ntitle: Half\nurgency: high\n---\nBody.\n', { defaultLang: 'en' });
      expect(half.problems.map((p) => [p.line, p.message])).to.deep.equal([
        [3, 'urgency needs impact too: the priority matrix takes both'],
      ]);
      const wrong = parseArticle('wrong.md', '---\ntitle: Wrong\nimpact: huge\nurgency: high\n---\nBody.\n', {
        defaultLang: 'en',
      });
      expect(wrong.problems.map((p) => [p.line, p.message])).to.deep.equal([[3, 'impact must be high, medium or low']]);
    });

    it('_routing.yml: the same rule in a rule’s `set` and in the defaults, each on its line', () => {
      const text = [
        'defaults:',
        '  impact: high',
        'rules:',
        '  - name: both ways',
        '    set:',
        '      priority: P1',
        '      urgency: high',
        '      impact: high',
        '  - name: fine',
        '    set: { impact: low, urgency: low }',
      ].join('\n');
      const { policy, problems } = parsePolicy('_routing.yml', text, routingSchema);
      expect(policy).to.equal(undefined);
      expect(problems.map((p) => [p.line, p.field])).to.deep.equal([
        [2, 'defaults.impact'],
        [6, 'rules.0.set.priority'],
      ]);
    });

    it('`npm run kb -- lint` prints each with its file and line and fails', async () => {
      const kb = tempDir('deflect-impact-lint-');
      writeKb(kb.dir, {
        'half.md': '---\ntitle: Half\nimpact: high\n---\nBody.\n',
        '_routing.yml': 'rules:\n  - name: x\n    set: { priority: P2, impact: low, urgency: low }\n',
      });
      const r = await runKb(['lint'], { KB_DIR: kb.dir, DATA_DIR: tempDir().dir, WORD_VECTORS: 'off' });
      expect(r.code).to.equal(1);
      const out = r.stdout + r.stderr;
      expect(out).to.contain('half.md:3: error: impact needs urgency too');
      expect(out).to.contain('_routing.yml:3: error: rules.0.set.priority: is given beside impact and urgency');
      kb.cleanup();
    });
  });

  describe('end to end', () => {
    let kb: { dir: string; cleanup: () => void };
    let t: TestCore;
    before(async () => {
      kb = tempDir('deflect-impact-kb-');
      writeKb(kb.dir, {
        'vpn.md': buildArticle(
          {
            id: 'vpn-drops',
            title: 'The VPN keeps dropping',
            questions: ['the VPN keeps dropping', 'my VPN disconnects every few minutes', 'VPN connection lost'],
            answer: 'Switch the VPN client to the TCP profile and reconnect.',
            ticket_type: 'incident',
            impact: 'medium',
            urgency: 'high',
            team: 'network',
          },
          '# The VPN keeps dropping\n\nSwitch to the TCP profile.\n',
        ),
        'printer.md': buildArticle(
          {
            id: 'printer-jam',
            title: 'Clear a printer jam',
            questions: ['the printer is jammed', 'paper stuck in the printer'],
            answer: 'Open tray 2, pull the paper out gently and close the tray.',
          },
          '# Clear a printer jam\n\nOpen tray 2.\n',
        ),
        '_routing.yml':
          'rules:\n  - name: the whole floor\n    when: { words: [whole floor] }\n    set: { impact: high, urgency: high }\n',
      });
      t = await openTestCore({ kbDir: kb.dir });
    });
    after(async () => {
      await t?.close();
      kb.cleanup();
    });

    it('a ticket opened after the question gets the matrix’s priority, both sides, and “article”', async () => {
      const asked = await askQuestion(t.core, { question: 'my VPN disconnects every few minutes', channel: 'api' });
      const made = await openTicket(t.core, {
        conversationId: asked.conversationId,
        channel: 'api',
        email: 'ana@example.com',
      });
      const stored = await t.core.tickets.get(made.ticket.id);
      expect(stored).to.deep.include({ priority: 'P2', impact: 'medium', urgency: 'high', team: 'network' });
      expect(stored.triage).to.deep.include({ priority: 'article', team: 'article' });
    });

    it('`npm run kb -- route` shows the priority with its impact and urgency, and which rule decided', async () => {
      const env = { KB_DIR: kb.dir, DATA_DIR: tempDir().dir, WORD_VECTORS: 'off' };
      const r = await runKb(['route', 'the VPN keeps dropping for the whole floor'], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('best article vpn-drops: type incident, priority P2 (impact medium × urgency high)');
      expect(r.stdout).to.contain('rule 1 "the whole floor": matches; sets priority P1 (impact high × urgency high)');
      expect(r.stdout).to.contain('→ type incident, priority P1 (impact high × urgency high), team network');
      expect(r.stdout).to.match(/decided by: .*priority rule/);
    });
  });
});
