import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import { diffAnswers, pastQuestions, replayQuestions } from '../../core/eval/answerDiff.ts';
import { kbAtRevision } from '../../core/eval/kbAtRevision.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { tempDir } from '../helpers/tempDir.ts';

const article = (id: string, title: string, questions: string[]) =>
  buildArticle({ id, title, questions, answer: `About ${title}.`, tags: [] }, `# ${title}\n\nSteps.\n`);

describe('kb diff: answers an article change moves', function () {
  this.timeout(60000);
  let repo: ReturnType<typeof tempDir>;
  let snapshot: ReturnType<typeof tempDir>;
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo.dir, '-c', 'user.email=t@example.com', '-c', 'user.name=Test', ...args], {
      stdio: 'pipe',
    });

  before(() => {
    repo = tempDir();
    snapshot = tempDir();
    git('init', '-q');
    writeKb(path.join(repo.dir, 'kb'), {
      'password.md': article('reset-password', 'Reset your password', [
        'I forgot my password',
        'how do I change my password',
        'password reset link',
      ]),
      'vpn.md': article('vpn-setup', 'Set up the VPN', [
        'how do I connect to the VPN',
        'install the VPN client',
        'VPN for remote work',
      ]),
      'printer.md': article('printer', 'Add a printer', [
        'how do I add a printer',
        'install the office printer',
        'print from my laptop',
      ]),
    });
    git('add', '.');
    git('commit', '-q', '-m', 'KB');
    // The change under review: the printer article goes, a refund article arrives.
    execFileSync('rm', [path.join(repo.dir, 'kb/printer.md')]);
    writeFileSync(
      path.join(repo.dir, 'kb/refund.md'),
      article('refund', 'Request a refund', [
        'I want my money back',
        'how do I get a refund',
        'refund for a cancelled order',
      ]),
    );
  });
  after(() => {
    repo.cleanup();
    snapshot.cleanup();
  });

  it('lists questions newly answered and newly unanswered, and leaves the rest alone', async () => {
    await kbAtRevision(path.join(repo.dir, 'kb'), 'HEAD', snapshot.dir);
    const build = async (dir: string) =>
      (await buildIndex({ kbDir: dir, embedder: new HashingEmbedder(), defaultLang: 'en' })).index;
    const [old, now] = [await build(snapshot.dir), await build(path.join(repo.dir, 'kb'))];
    expect([...old.articles.keys()].sort()).to.deep.equal(['printer', 'reset-password', 'vpn-setup']);

    const questions = replayQuestions(
      old.articles.values(),
      now.articles.values(),
      pastQuestions('{"text":"where is my refund?"}\nmy printer is broken\n'),
    );
    const engine = (index: typeof old) => new AnswerEngine(() => index, { defaultLang: 'en' });
    const diff = await diffAnswers(engine(old), engine(now), questions);

    expect(diff.questions, '12 phrasings of both versions and 2 past questions').to.equal(14);
    // Without its article, a printer question goes unanswered or finds the next closest article: either way the reviewer sees it.
    const lost = [...diff.changed, ...diff.newlyUnanswered];
    expect(lost.map((c) => c.question)).to.include.members([
      'how do I add a printer',
      'install the office printer',
      'print from my laptop',
    ]);
    expect(lost.every((c) => c.before.articleId === 'printer')).to.equal(true);
    expect(diff.newlyAnswered.map((c) => c.question)).to.include.members([
      'I want my money back',
      'how do I get a refund',
    ]);
    expect(diff.newlyAnswered.every((c) => c.after.articleId === 'refund')).to.equal(true);
    const moved = [...diff.changed, ...diff.newlyAnswered, ...diff.newlyUnanswered].map((c) => c.question);
    expect(moved).to.not.include('I forgot my password');
  });

  it('refuses something that is not a revision', async () => {
    const err = await kbAtRevision(path.join(repo.dir, 'kb'), 'no-such-branch', snapshot.dir).catch((e: Error) => e);
    expect(err)
      .to.be.instanceOf(Error)
      .with.property('message')
      .that.matches(/not a commit/);
  });
});

describe('past questions file', () => {
  it('reads JSON lines with text or question, and plain lines', () => {
    expect(pastQuestions('{"text":"a"}\n\n{"question":"b","at":"x"}\nplain c\n{"other":1}\n')).to.deep.equal([
      'a',
      'b',
      'plain c',
    ]);
  });
});
