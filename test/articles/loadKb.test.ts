import { expect } from 'chai';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { lintKnowledgeBase } from '../../core/articles/lintKb.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('loadKnowledgeBase', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('indexes the good files when one file is broken, and reports the broken one', async () => {
    writeKb(tmp.dir, {
      'a.md': buildArticle({ id: 'a' }),
      'b.md': buildArticle({ id: 'b', lang: 'xx' }),
      'sub/c.md': buildArticle({ id: 'c' }),
    });
    const kb = await loadKnowledgeBase(tmp.dir, { defaultLang: 'en' });
    expect(kb.articles.map((a) => a.id).sort()).to.deep.equal(['a', 'c']);
    expect(kb.problems).to.have.length(1);
    expect(kb.problems[0]).to.include({ file: 'b.md', field: 'lang', severity: 'error' });
  });

  it('rejects a duplicate id and names the file that has it first', async () => {
    writeKb(tmp.dir, { 'a.md': buildArticle({ id: 'same' }), 'b.md': buildArticle({ id: 'same' }) });
    const kb = await loadKnowledgeBase(tmp.dir, { defaultLang: 'en' });
    expect(kb.articles).to.have.length(1);
    expect(kb.problems[0]!.message).to.equal("duplicate id 'same': already used by a.md");
    expect(kb.problems[0]!.file).to.equal('b.md');
  });

  it('reports translations pointing nowhere or to the wrong language, and drops the link', async () => {
    writeKb(tmp.dir, {
      'a.md': buildArticle({ id: 'a', translations: { es: 'missing' } }),
      'b.md': buildArticle({ id: 'b', translations: { es: 'c' } }),
      'c.md': buildArticle({ id: 'c', lang: 'en' }),
    });
    const kb = await loadKnowledgeBase(tmp.dir, { defaultLang: 'en' });
    const messages = kb.problems.map((p) => `${p.file}: ${p.message}`);
    expect(messages).to.include("a.md: translations.es points to 'missing', which is not an article in the KB");
    expect(messages).to.include("b.md: translations.es points to 'c', which is written in 'en'");
    expect(kb.articles.find((a) => a.id === 'a')!.translations).to.deep.equal({});
  });

  it('skips partials (_ folders, includes/) and does not follow symlinks out of the root', async () => {
    const outside = tempDir();
    try {
      writeFileSync(path.join(outside.dir, 'secret.md'), buildArticle({ id: 'secret' }));
      writeKb(tmp.dir, {
        'a.md': buildArticle({ id: 'a' }),
        '_drafts/x.md': buildArticle({ id: 'x' }),
        'includes/p.md': 'partial',
      });
      symlinkSync(path.join(outside.dir, 'secret.md'), path.join(tmp.dir, 'link.md'));
      symlinkSync(outside.dir, path.join(tmp.dir, 'linked-dir'));
      const kb = await loadKnowledgeBase(tmp.dir, { defaultLang: 'en' });
      expect(kb.articles.map((a) => a.id)).to.deep.equal(['a']);
    } finally {
      outside.cleanup();
    }
  });

  it('reads the synonyms file and reports a malformed one', async () => {
    writeKb(tmp.dir, { 'a.md': buildArticle({ id: 'a' }), '_synonyms.yml': '- [password, contraseña, clave]\n' });
    expect((await loadKnowledgeBase(tmp.dir, { defaultLang: 'en' })).synonyms).to.deep.equal([
      ['password', 'contraseña', 'clave'],
    ]);
    writeKb(tmp.dir, { '_synonyms.yml': 'password: clave\n' });
    const kb = await loadKnowledgeBase(tmp.dir, { defaultLang: 'en' });
    expect(kb.problems[0]).to.include({ file: '_synonyms.yml', severity: 'error' });
  });
});

describe('lintKnowledgeBase', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('warns about broken links, near-duplicate questions and overdue reviews', async () => {
    writeKb(tmp.dir, {
      'a.md': buildArticle(
        { id: 'a', questions: ['reset my password now'], review_by: '2020-01-01' },
        '# A\n\nSee [b](b.md) and [gone](nowhere.md).\n',
      ),
      'b.md': buildArticle({ id: 'b', title: 'Other', questions: ['reset my password now!'] }),
    });
    const kb = await loadKnowledgeBase(tmp.dir, { defaultLang: 'en' });
    const warnings = (await lintKnowledgeBase(kb, new Date('2026-11-23'))).map((w) => `${w.file}: ${w.message}`);
    expect(warnings).to.include('a.md: broken link to nowhere.md: no article at nowhere.md');
    expect(warnings).to.include('a.md: review was due on 2020-01-01');
    expect(warnings.some((w) => /nearly the same as "reset my password now!" in b.md/.test(w))).to.equal(true);
    expect(warnings.some((w) => w.includes('b.md') && w.includes('broken link'))).to.equal(false);
  });
});
