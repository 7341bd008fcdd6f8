import { expect } from 'chai';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PAGES, pagesStaleness } from '../../scripts/buildPagesWhenStale.mjs';
import { tempDir } from '../helpers/tempDir.ts';

describe('buildPagesWhenStale (npm start builds the pages only when a source changed)', () => {
  it('builds when a page is unbuilt, not when every build is newer than the sources, again when one source is newer', async () => {
    const tmp = tempDir();
    try {
      const at = (file: string, seconds: number) => {
        mkdirSync(path.dirname(path.join(tmp.dir, file)), { recursive: true });
        writeFileSync(path.join(tmp.dir, file), '');
        utimesSync(path.join(tmp.dir, file), seconds, seconds);
      };
      for (const page of PAGES) at(`${page}/src/index.ts`, 1000);
      at('web/dom.ts', 1000);
      at('core/contracts/api.ts', 1000);
      expect(await pagesStaleness(tmp.dir)).to.equal('widget/dist is missing');

      for (const page of PAGES) at(`${page}/dist/out.js`, 2000);
      expect(await pagesStaleness(tmp.dir)).to.equal(null);

      // A type the widget imports from the core changed: every page is built again.
      at('core/contracts/api.ts', 3000);
      expect(await pagesStaleness(tmp.dir)).to.equal('core/contracts/api.ts changed');
    } finally {
      tmp.cleanup();
    }
  });
});
