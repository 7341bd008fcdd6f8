import { expect } from 'chai';
import { parseArticle } from '../../core/articles/parseArticle.ts';
import { servedArticle } from '../../core/articles/servedArticle.ts';
import { plainTermDoc, termDocOf } from '../../core/answers/lexical/termModel.ts';
import { passageUnitsLazily, unitsOf, type TermUnit } from '../../core/answers/lexical/termUnits.ts';
import { buildArticle } from '../helpers/articles.ts';

const body = '# Reset your password\n\nOpen the portal.\n\n## Without e-mail\n\nCall the desk.\n\n## Empty\n\n';
const { article } = parseArticle('accounts/reset.md', buildArticle({}, body), { defaultLang: 'en' });

describe('what the lexical model reads of an article (termDocOf)', () => {
  it('reads its title, questions and body sections, and which sections have a word', () => {
    const doc = termDocOf(article!);
    expect(doc).to.include({ id: 'reset-password', lang: 'en', title: 'Reset your password' });
    expect(doc.questions).to.deep.equal(['I forgot my password']);
    expect(doc.passages).to.deep.equal(article!.chunks.map((c) => [c.heading, c.text].filter(Boolean).join('\n')));
    expect(doc.passageWords).to.deep.equal(doc.passages.map((p) => /\S/.test(p)));
  });

  it('reads a served article’s sections from its body, as the article it was made from', () => {
    const served = termDocOf(servedArticle(article!));
    expect(served.passages).to.deep.equal(termDocOf(article!).passages);
    expect(Array.from(passageUnitsLazily([served]), (u) => [u.kind, u.text])).to.deep.equal(
      unitsOf([termDocOf(article!)]).map((u) => [u.kind, u.text]),
    );
  });

  it('goes to another thread as plain data, its sections read (a copy keeps no getter of a class)', () => {
    const doc = termDocOf(servedArticle(article!));
    expect(structuredClone(doc)).to.not.have.property('passages');
    expect(structuredClone(plainTermDoc(doc))).to.deep.equal({
      id: doc.id,
      lang: doc.lang,
      title: doc.title,
      questions: doc.questions,
      passages: doc.passages,
      passageWords: doc.passageWords,
    });
  });

  it('as a restored model’s units (a table, each made when asked for): the units unitsOf gives, in order', () => {
    const many = parseArticle(
      'accounts/vpn.md',
      buildArticle(
        { id: 'vpn', questions: ['vpn down', 'vpn slow', 'no vpn'] },
        '# VPN\n\nReconnect.\n\n## Still\n\nCall.\n',
      ),
      { defaultLang: 'en' },
    ).article!;
    const docs = [article!, many, article!].map((a) => termDocOf(servedArticle(a)));
    const table = passageUnitsLazily(docs);
    const plain = unitsOf([article!, many, article!].map(termDocOf));
    const fields = (u: TermUnit) => [u.article, u.kind, u.text, u.matched];
    expect(table.length).to.equal(plain.length);
    expect(Array.from(table, fields)).to.deep.equal(plain.map(fields));
    expect(plain.map((_, i) => fields(table.at(i)!))).to.deep.equal(plain.map(fields));
    // Passages are matched only for an article listing fewer than three questions.
    expect(plain.filter((u) => u.kind === 'passage').map((u) => u.matched)).to.include.members([true, false]);
    expect(table.at(-1)).to.equal(undefined);
    expect(table.at(plain.length)).to.equal(undefined);
  });
});
