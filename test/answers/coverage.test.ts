import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { Coverage } from '../../core/answers/pipeline/calibration.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { writeKb } from '../helpers/articles.ts';
import { tempDir } from '../helpers/tempDir.ts';

const FIXTURE_KB = 'test/fixtures/kb';

/** Every article of a KB, with or without the questions its front matter lists. */
function readKb(kept: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of readdirSync(FIXTURE_KB, { recursive: true, encoding: 'utf8' })) {
    if (!/\.(md|yml)$/.test(file)) continue;
    const text = readFileSync(path.join(FIXTURE_KB, file), 'utf8');
    if (file.endsWith('.yml')) files[file] = text;
    if (!file.endsWith('.md')) continue;
    const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text)!;
    const data = parse(front!) as Record<string, unknown>;
    data.questions = (data.questions as string[]).slice(0, kept);
    if (!kept) delete data.questions;
    files[file] = `---\n${stringify(data)}---\n${body}`;
  }
  return files;
}

async function coverageOf(kept: number): Promise<Coverage> {
  const kb = tempDir('deflect-coverage-');
  try {
    writeKb(kb.dir, readKb(kept));
    const built = await buildIndex({
      kbDir: kb.dir,
      embedder: new HashingEmbedder(),
      wordVectors: null,
      defaultLang: 'en',
    });
    return built.index.manifest.calibration.selfService!.coverage!;
  } finally {
    kb.cleanup();
  }
}

describe('Estimated self-service coverage (from the calibration probes, at index time)', function () {
  this.timeout(120_000);
  let listed: Coverage;
  let bare: Coverage;
  before(async () => {
    listed = await coverageOf(Infinity);
    bare = await coverageOf(0);
  });

  it('is a share of probes answered, and answered or offered, for listed questions and for documentation alike', () => {
    for (const c of [listed, bare]) {
      expect(c.answered).to.be.within(0, 1);
      expect(c.offered).to.be.within(c.answered, 1);
      expect(c.probes).to.be.greaterThan(0);
      // 24 articles, one of them a draft: never probed.
      expect(c.articles).to.equal(23);
    }
  });
});
