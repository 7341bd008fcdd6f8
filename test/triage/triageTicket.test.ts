import { expect } from 'chai';
import { parsePolicy } from '../../core/triage/policyFile.ts';
import { NO_ROUTING, routingSchema, type RoutingPolicy } from '../../core/triage/routingRules.ts';
import { triageTicket, type ArticleTriage, type TriageFacts } from '../../core/triage/triageTicket.ts';

const routing = (yaml: string): RoutingPolicy => {
  const { policy, problems } = parsePolicy('_routing.yml', yaml, routingSchema);
  expect(problems).to.deep.equal([]);
  return policy!;
};

const facts = (over: Partial<TriageFacts> = {}): TriageFacts => ({
  question: 'my invoice shows a double charge',
  channel: 'widget',
  lang: 'en',
  ...over,
});

const billingArticle: ArticleTriage = {
  id: 'double-charge',
  ticketType: 'incident',
  team: 'billing',
  category: 'Billing',
  tags: ['invoice'],
};

const RULES = routing(`
defaults: { team: helpdesk, priority: P3, type: question }
rules:
  - name: paying customers with an incident
    when: { type: incident, attributes: { plan: [paid, enterprise] } }
    set: { priority: P1 }
  - name: outages
    when: { words: [caído, "is down", outage] }
    set: { type: incident, priority: P2, team: network, tags: outage }
  - name: Spanish billing over Teams
    when: { category: billing, channel: msteams, lang: es }
    set: { team: facturacion }
`);

describe('triage at ticket creation: article, then the first matching rule, then defaults', () => {
  const cases: {
    description: string;
    article?: ArticleTriage;
    facts: TriageFacts;
    expects: object;
    sources: object;
  }[] = [
    {
      description: 'the article decides what it sets, the defaults the rest; each field says where it came from',
      article: billingArticle,
      facts: facts(),
      expects: {
        type: 'incident',
        team: 'billing',
        category: 'Billing',
        priority: 'P3',
      },
      sources: { type: 'article', team: 'article', category: 'article', priority: 'default' },
    },
    {
      description: "a rule sees the article's type and the verified plan, and raises the priority",
      article: billingArticle,
      facts: facts({ attributes: { plan: 'paid' } }),
      expects: { type: 'incident', priority: 'P1', team: 'billing' },
      sources: { priority: 'rule', type: 'article' },
    },
    {
      description: 'a free plan does not match a rule for paid plans',
      article: billingArticle,
      facts: facts({ attributes: { plan: 'free' } }),
      expects: { priority: 'P3' },
      sources: { priority: 'default' },
    },
    {
      description: 'words match across accents and word endings; the rule replaces the team and adds its tag',
      facts: facts({ question: 'El VPN esta caido desde esta mañana', lang: 'es' }),
      expects: {
        type: 'incident',
        priority: 'P2',
        team: 'network',
        tags: ['outage'],
      },
      sources: { type: 'rule', priority: 'rule', team: 'rule', tags: 'rule' },
    },
    {
      description: 'a phrase must appear word for word',
      facts: facts({ question: 'down the stairs, the printer is jammed' }),
      expects: { type: 'question', team: 'helpdesk' },
      sources: { type: 'default', team: 'default' },
    },
    {
      description: 'category matches without case; channel and language must both hold',
      article: { ...billingArticle, ticketType: undefined, team: undefined },
      facts: facts({ channel: 'msteams', lang: 'es', question: 'factura duplicada' }),
      expects: { team: 'facturacion' },
      sources: { team: 'rule', category: 'article' },
    },
    {
      description: 'only the first matching rule applies',
      article: billingArticle,
      facts: facts({ attributes: { plan: 'enterprise' }, question: 'outage: invoices are down' }),
      expects: { priority: 'P1', team: 'billing', tags: [] },
      sources: { priority: 'rule' },
    },
  ];
  for (const c of cases)
    it(c.description, () => {
      const out = triageTicket({ article: c.article, routing: RULES, facts: c.facts });
      const { triage, ...fields } = out.fields;
      expect(fields).to.deep.include(c.expects);
      expect(triage).to.deep.include(c.sources);
    });

  it('without a routing file: a P3 question, no team', () => {
    const out = triageTicket({ routing: NO_ROUTING, facts: facts() });
    expect(out.fields).to.deep.equal({
      type: 'question',
      priority: 'P3',
      tags: [],
      triage: { type: 'default', priority: 'default' },
    });
  });

  it('explains each step: the article, each rule tried and why it failed, the match, the defaults', () => {
    const out = triageTicket({
      article: billingArticle,
      routing: RULES,
      facts: facts({ attributes: { plan: 'free' } }),
    });
    expect(out.rule).to.equal(undefined);
    expect(out.steps).to.deep.equal([
      'best article double-charge: type incident, team billing, category Billing',
      'rule 1 "paying customers with an incident": no (plan is free)',
      'rule 2 "outages": no (none of "caído", "is down", "outage" in the question)',
      'rule 3 "Spanish billing over Teams": no (channel is widget)',
      'no rule matched',
      'defaults: priority P3',
    ]);
  });
});

describe('_routing.yml: checked with file and line', () => {
  it('names the line of each wrong value', () => {
    const text = [
      'defaults:',
      '  priority: P7',
      'rules:',
      '  - name: vip',
      '    when:',
      '      plan: paid',
      '    set: { priority: P1 }',
      '  - name: nothing to do',
      '    set: {}',
    ].join('\n');
    const { policy, problems } = parsePolicy('_routing.yml', text, routingSchema);
    expect(policy).to.equal(undefined);
    const byLine = problems.map((p) => [p.line, p.field]);
    expect(byLine).to.deep.include.members([
      [2, 'defaults.priority'],
      [6, 'rules.0.when'],
      [9, 'rules.1.set'],
    ]);
    expect(problems.every((p) => p.file === '_routing.yml' && p.severity === 'error')).to.equal(true);
  });

  it('a YAML syntax error names its line; a duplicate key is an error', () => {
    const { problems } = parsePolicy(
      '_routing.yml',
      'rules:\n  - name: a\n    name: b\n    set: { team: x }\n',
      routingSchema,
    );
    expect(problems[0]).to.include({ line: 3, severity: 'error' });
  });

  it('an empty file is no rules', () => {
    expect(parsePolicy('_routing.yml', '', routingSchema).policy).to.deep.equal(NO_ROUTING);
  });
});
