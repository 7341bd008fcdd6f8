import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { postJson, startTestServer } from '../helpers/server.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { runKb } from '../tickets/cli.ts';

describe('npm run kb -- draft-from-gap', function () {
  this.timeout(60_000);

  it('lists the gaps, then writes a draft for one, while the server keeps running', async () => {
    const s = await startTestServer();
    const drafts = tempDir('deflect-drafts-');
    try {
      for (const question of ['where can I park my bike at the office?', 'is there bike parking at the office?'])
        await postJson(`${s.url}/api/ask`, { question });
      const env = { DATA_DIR: s.config.dataDir, KB_DIR: FIXTURE_KB, DRAFTS_DIR: drafts.dir };
      const list = await runKb(['draft-from-gap'], env);
      expect(list.code, list.stderr).to.equal(0);
      const id = /^(gap-[0-9a-f]{10})\s+2\s+en\s/m.exec(list.stdout)?.[1];
      expect(id, list.stdout).to.be.a('string');

      const made = await runKb(['draft-from-gap', id!], env);
      expect(made.code, made.stderr).to.equal(0);
      const [file] = readdirSync(drafts.dir);
      expect(made.stdout).to.contain(file);
      const text = readFileSync(path.join(drafts.dir, file!), 'utf8');
      expect(text).to.contain('status: draft');
      expect(text).to.contain('- where can I park my bike at the office?');
      expect(text).to.contain('- is there bike parking at the office?');

      const unknown = await runKb(['draft-from-gap', 'gap-0000000000'], env);
      expect(unknown.code).to.equal(1);
      expect(unknown.stderr).to.contain("gap 'gap-0000000000' was not found");
    } finally {
      await s.close();
      drafts.cleanup();
    }
  });
});
