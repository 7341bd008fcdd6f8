import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { lintKnowledgeBase } from '../../core/articles/lintKb.ts';
import { applyPhrasings } from '../../core/commands/applyPhrasings.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { addQuestions } from '../../core/phrasings/addQuestions.ts';
import type { PhrasingsReport } from '../../core/phrasings/phrasingCandidates.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { loadGloveWordVectors } from '../../core/search/gloveWordVectors.ts';
import { smallKb } from './smallKb.ts';

/** A report as the candidates step makes it: per article, its new wordings. */
function reportOf(perArticle: Record<string, { file: string; texts: string[] }>): PhrasingsReport {
  return {
    droppedPersonal: 0,
    articles: Object.entries(perArticle).map(([articleId, a]) => ({
      articleId,
      title: articleId,
      lang: 'en',
      file: a.file,
      candidates: a.texts.map((text) => ({
        text,
        count: 2,
        sources: { helpful: 1, picked: 0, ticket: 1 },
        lastSeen: '2026-11-02T00:00:00.000Z',
      })),
    })),
  };
}

/** Everything after the front matter's closing fence. */
function bodyOf(source: string): string {
  return source.slice(source.indexOf('\n---', 4) + 4);
}

describe('phrasings --apply: writing accepted phrasings into front matter', function () {
  this.timeout(120_000);

  describe('addQuestions edits the front matter as text', () => {
    const cases: { description: string; source: string; expects: string }[] = [
      {
        description: 'appends to an indented block list',
        source: '---\ntitle: A\nquestions:\n  - one\n  - two\nanswer: x\n---\nbody\n',
        expects: '---\ntitle: A\nquestions:\n  - one\n  - two\n  - new one\nanswer: x\n---\nbody\n',
      },
      {
        description: 'appends to an unindented block list',
        source: '---\nquestions:\n- one\ntitle: A\n---\nbody',
        expects: '---\nquestions:\n- one\n- new one\ntitle: A\n---\nbody',
      },
      {
        description: "keeps the last item's comment on its line",
        source: '---\nquestions:\n  - one # first\n\n# the answer\nanswer: x\n---\n',
        expects: '---\nquestions:\n  - one # first\n  - new one\n\n# the answer\nanswer: x\n---\n',
      },
      {
        description: 'extends a flow list',
        source: '---\nquestions: [one, "two"]  # both\n---\n',
        expects: '---\nquestions: [one, "two", "new one"]  # both\n---\n',
      },
      {
        description: 'fills an empty questions:',
        source: '---\ntitle: A\nquestions:\nanswer: x\n---\n',
        expects: '---\ntitle: A\nquestions:\n  - new one\nanswer: x\n---\n',
      },
      {
        description: 'adds questions: to an article without it',
        source: '---\ntitle: A\nanswer: x\n---\n# A\n',
        expects: '---\ntitle: A\nanswer: x\nquestions:\n  - new one\n---\n# A\n',
      },
      {
        description: 'keeps CRLF line ends',
        source: '---\r\ntitle: A\r\nquestions:\r\n  - one\r\n---\r\nbody\r\n',
        expects: '---\r\ntitle: A\r\nquestions:\r\n  - one\r\n  - new one\r\n---\r\nbody\r\n',
      },
    ];
    for (const c of cases) it(c.description, () => expect(addQuestions(c.source, ['new one'])).to.equal(c.expects));

    it('quotes what YAML would misread, on one line', () => {
      const out = addQuestions('---\ntitle: A\nquestions:\n  - one\n---\n', [
        'error: 0x80070005',
        '- dash first',
        'yes',
        '¿por qué #no funciona?',
      ]);
      expect(out).to.contain('  - "error: 0x80070005"\n');
      expect(out.split('\n')).to.have.length(10);
    });
  });

  it('writes the candidates into a small KB: only the front matter changes, lint passes, and re-indexed the questions are answered by their articles', async () => {
    const kb = smallKb();
    try {
      const files = [
        'account/reset-password.md',
        'network/vpn-setup.md',
        'printing/printer-jam.md',
        'shop/refund.md',
        'cuenta/restablecer-contrasena.md',
      ];
      const before = Object.fromEntries(files.map((f) => [f, readFileSync(path.join(kb.dir, f), 'utf8')]));
      const added = {
        'reset-password': { file: files[0]!, texts: ['cannot sign in anymore', 'I FORGOT my password!'] },
        'vpn-setup': { file: files[1]!, texts: ['the tunnel will not come up'] },
        'printer-jam': { file: files[2]!, texts: ['sheets crumpled inside the copier'] },
        refund: { file: files[3]!, texts: ['when do I get my money back', 'money back after returning shoes'] },
        'restablecer-contrasena': { file: files[4]!, texts: ['no puedo entrar a mi cuenta', 'Olvidé mi contraseña'] },
      };
      const result = await applyPhrasings({ defaultLang: 'en' }, { kbDir: kb.dir, report: reportOf(added) });
      expect(result.skipped).to.deep.equal([]);
      // Already listed (folded): "I FORGOT my password!" and "Olvidé mi contraseña" are not added again.
      expect(Object.fromEntries(result.files.map((f) => [f.articleId, f.added]))).to.deep.equal({
        'reset-password': ['cannot sign in anymore'],
        'vpn-setup': ['the tunnel will not come up'],
        'printer-jam': ['sheets crumpled inside the copier'],
        refund: ['when do I get my money back', 'money back after returning shoes'],
        'restablecer-contrasena': ['no puedo entrar a mi cuenta'],
      });

      for (const f of files) {
        const after = readFileSync(path.join(kb.dir, f), 'utf8');
        expect(bodyOf(after), f).to.equal(bodyOf(before[f]!));
        // Only lines were added: every original line is still there, in order.
        const extra = after.split(/\r?\n/).filter((l) => !before[f]!.split(/\r?\n/).includes(l));
        expect(extra.length, f).to.be.within(1, 3);
      }
      const handWritten = readFileSync(path.join(kb.dir, files[4]!), 'utf8');
      expect(handWritten).to.contain(
        '  - olvidé mi contraseña   # la más frecuente\r\n  - "cambiar la contraseña"\r\n  - no puedo entrar a mi cuenta\r\nanswer: >',
      );

      const loaded = await loadKnowledgeBase(kb.dir, { defaultLang: 'en' });
      expect(loaded.problems.filter((p) => p.severity === 'error')).to.deep.equal([]);
      await lintKnowledgeBase(loaded);
      expect(loaded.articles.find((a) => a.id === 'refund')!.questions).to.deep.equal([
        'when do I get my money back',
        'money back after returning shoes',
      ]);

      const { index } = await buildIndex({
        kbDir: kb.dir,
        embedder: new HashingEmbedder(),
        wordVectors: await loadGloveWordVectors(),
        defaultLang: 'en',
      });
      const engine = new AnswerEngine(() => index, { defaultLang: 'en' });
      for (const [articleId, a] of Object.entries(added)) {
        for (const question of a.texts) {
          const r = await engine.answer({ question });
          expect([r.action, r.answer?.article.id], question).to.deep.equal(['answer', articleId]);
        }
      }
    } finally {
      kb.cleanup();
    }
  });

  it('leaves an article it cannot read or edit alone, and says why', async () => {
    const kb = smallKb();
    try {
      const result = await applyPhrasings(
        { defaultLang: 'en' },
        { kbDir: kb.dir, report: reportOf({ missing: { file: 'nowhere.md', texts: ['x y'] } }) },
      );
      expect(result.files).to.deep.equal([]);
      expect(result.skipped[0]).to.include({ articleId: 'missing', file: 'nowhere.md' });
    } finally {
      kb.cleanup();
    }
  });
});
