import { expect } from 'chai';
import { parseArticle } from '../../core/articles/parseArticle.ts';
import { buildArticle } from '../helpers/articles.ts';

const parse = (source: string, file = 'accounts/reset.md') => parseArticle(file, source, { defaultLang: 'en' });
/** 1-based line of the first line starting with `prefix`. */
const lineOf = (source: string, prefix: string) => source.split('\n').findIndex((l) => l.startsWith(prefix)) + 1;

describe('parseArticle', () => {
  it('reads every front-matter field of a valid article', () => {
    const { article, problems } = parse(
      buildArticle({
        category: 'Accounts',
        owner: 'maria@example.com',
        review_by: '2027-03-01',
        audience: 'internal',
        translations: { es: 'reset-password-es' },
      }),
    );
    expect(problems).to.deep.equal([]);
    expect(article).to.include({
      id: 'reset-password',
      title: 'Reset your password',
      lang: 'en',
      category: 'Accounts',
      status: 'published',
      audience: 'internal',
      owner: 'maria@example.com',
      reviewBy: '2027-03-01',
    });
    expect(article!.questions).to.deep.equal(['I forgot my password']);
    expect(article!.translations).to.deep.equal({ es: 'reset-password-es' });
  });

  it('defaults the id to the path relative to the KB root without .md', () => {
    const { article } = parse(buildArticle({ id: undefined }), 'accounts/reset.md');
    expect(article!.id).to.equal('accounts/reset');
  });

  it('uses the first section of the body when there is no answer field', () => {
    const { article } = parse(
      buildArticle(
        { answer: undefined },
        '# Reset your password\n\nOpen the **portal** and click Reset.\n\n## Details\n\nMore.\n',
      ),
    );
    expect(article!.answer).to.equal('Open the **portal** and click Reset.');
  });

  it('turns an "Example questions" list in the body into questions', () => {
    const { article } = parse(
      buildArticle({ questions: undefined }, '# T\n\nExample questions:\n\n- how do I reset it\n- lost my password\n'),
    );
    expect(article!.questions).to.deep.equal(['how do I reset it', 'lost my password']);
  });

  it('detects the language when lang is missing', () => {
    const { article } = parse(
      buildArticle(
        {
          lang: undefined,
          title: 'Restablecer la contraseña',
          questions: ['olvidé mi contraseña'],
          answer: 'Entra en el portal y sigue los pasos que te indica.',
        },
        '# Restablecer la contraseña\n\nSi no puedes entrar a tu cuenta, sigue estos pasos.\n',
      ),
    );
    expect(article!.lang).to.equal('es');
  });

  // Each broken article and the exact problem it must report: file, line, field, message.
  const cases: {
    description: string;
    source: string;
    expects: { line: number | string; field?: string; message: RegExp };
  }[] = [
    {
      description: 'missing title',
      source: buildArticle({ title: undefined }),
      expects: { line: 1, field: 'title', message: /^title is required$/ },
    },
    {
      description: 'empty title',
      source: buildArticle({ title: '' }),
      expects: { line: 'title:', field: 'title', message: /title must not be empty/ },
    },
    {
      description: 'unknown language',
      source: buildArticle({ lang: 'fr' }),
      expects: { line: 'lang:', field: 'lang', message: /unknown language 'fr' \(supported: es, en\)/ },
    },
    {
      description: 'bad date',
      source: buildArticle({ review_by: '2027-02-30' }),
      expects: { line: 'review_by:', field: 'review_by', message: /not a real calendar date/ },
    },
    {
      description: 'date in another format',
      source: buildArticle({ review_by: '01/03/2027' }),
      expects: { line: 'review_by:', field: 'review_by', message: /YYYY-MM-DD/ },
    },
    {
      description: 'empty answer',
      source: buildArticle({ answer: '   ' }),
      expects: { line: 'answer:', field: 'answer', message: /answer is empty/ },
    },
    {
      description: 'bad status',
      source: buildArticle({ status: 'live' }),
      expects: { line: 'status:', field: 'status', message: /status/ },
    },
    {
      description: 'id escaping the KB',
      source: buildArticle({ id: '../../etc/passwd' }),
      expects: { line: 'id:', field: 'id', message: /must not contain/ },
    },
    {
      description: 'tags not a list of strings',
      source: buildArticle({ tags: [['a']] }),
      expects: { line: 'tags:', field: 'tags', message: /tags/ },
    },
    {
      description: 'invalid YAML',
      source: '---\ntitle: [unclosed\n---\nbody\n',
      expects: { line: 2, message: /^YAML: / },
    },
    {
      description: 'no front matter',
      source: '# Just markdown\n',
      expects: { line: 1, message: /missing front matter/ },
    },
    { description: 'unclosed front matter', source: '---\ntitle: x\n', expects: { line: 1, message: /not closed/ } },
    {
      description: 'executable front matter (---js)',
      source: '---js\n{ title: require("fs") }\n---\nbody\n',
      expects: { line: 1, message: /---js are not accepted/ },
    },
    {
      description: 'empty body and no answer',
      source: buildArticle({ answer: undefined }, ''),
      expects: { line: '---\n', field: 'answer', message: /answer is empty/ },
    },
  ];
  for (const c of cases) {
    it(`reports ${c.description}`, () => {
      const { article, problems } = parse(c.source);
      expect(article, 'a broken article is not returned').to.equal(undefined);
      expect(problems).to.have.length.greaterThan(0);
      const p = problems[0]!;
      expect(p.file).to.equal('accounts/reset.md');
      expect(p.severity).to.equal('error');
      expect(p.message).to.match(c.expects.message);
      const line =
        typeof c.expects.line === 'number'
          ? c.expects.line
          : c.expects.line === '---\n'
            ? c.source.split('\n').length
            : lineOf(c.source, c.expects.line);
      expect(p.line, `line of: ${p.message}`).to.equal(line);
      if (c.expects.field) expect(p.field).to.equal(c.expects.field);
    });
  }

  it('never evaluates YAML tags as code', () => {
    const { article, problems } = parse(
      '---\ntitle: !!js/function "function () { process.exit(1) }"\nanswer: x\n---\n# T\n',
    );
    // The core schema has no js types: the tag is an error or a plain string, never a function.
    if (article) expect(typeof article.title).to.equal('string');
    else expect(problems[0]!.message).to.match(/YAML|title/);
  });
});
