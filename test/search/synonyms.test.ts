import { expect } from 'chai';
import { SynonymTable } from '../../core/search/synonyms.ts';
import { terms } from '../../core/text/analyze.ts';

const groups = [
  ['contraseña', 'clave', 'password'],
  ['bloqueada', 'locked', 'locked out'],
  ['vpn', 'acceso remoto', 'remote access'],
  ['portátil', 'laptop', 'pc'],
  ['buzón compartido', 'shared mailbox', 'team inbox'],
];

/** The rule as first written: a group applies when the question's terms, joined by spaces, contain one of its phrases between spaces. */
function reference(question: string[], lang: 'es' | 'en'): string[] {
  const text = ` ${question.join(' ')} `;
  const extra = new Set<string>();
  for (const g of groups) {
    const phrases = g.map((p) => terms(p, lang).join(' ')).filter(Boolean);
    if (!phrases.some((p) => text.includes(` ${p} `))) continue;
    for (const p of phrases) for (const t of p.split(' ')) if (!question.includes(t)) extra.add(t);
  }
  return [...extra];
}

describe('SynonymTable.expand', () => {
  const table = new SynonymTable(groups);
  const cases = [
    { question: 'I forgot my password', lang: 'en' as const, description: 'one word of a group' },
    { question: 'my account is locked out', lang: 'en' as const, description: 'a phrase and its first word' },
    { question: 'no remote access today', lang: 'en' as const, description: 'a two-word phrase in the middle' },
    { question: 'remote desktop access', lang: 'en' as const, description: 'a phrase’s words apart do not count' },
    { question: 'access remote', lang: 'en' as const, description: 'nor in the other order' },
    { question: 'my pcs and the shared mailbox', lang: 'en' as const, description: 'a longer word is not its prefix' },
    { question: 'shared mailbox password vpn', lang: 'en' as const, description: 'three groups, in the groups’ order' },
    { question: 'la clave del buzón compartido', lang: 'es' as const, description: 'Spanish stems' },
    { question: '', lang: 'en' as const, description: 'no terms' },
  ];
  for (const c of cases)
    it(`adds the terms of the groups a question names (${c.description})`, () => {
      const question = terms(c.question, c.lang);
      expect(table.expand(question, c.lang)).to.deep.equal(reference(question, c.lang));
    });

  it('adds a group’s other terms, not those the question has', () => {
    expect(table.expand(terms('reset password', 'en'), 'en')).to.deep.equal(terms('contraseña clave', 'en'));
  });
});
