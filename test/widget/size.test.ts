import { expect } from 'chai';
import { buildWidget, type BuiltFile } from '../../widget/build.ts';

/** Issue #3: the script a page loads first ≤ 6 KB gzipped, the whole widget ≤ 25 KB gzipped. */
const LOADER_BUDGET = 6 * 1024;
const TOTAL_BUDGET = 25 * 1024;
const WIDGET_FILES = ['widget.js', 'widget-app.js'];

describe('widget size budget', function () {
  this.timeout(60000);
  let files: BuiltFile[];

  before(async () => {
    files = await buildWidget();
    for (const f of files) console.log(`      ${f.file}: ${f.bytes} B raw, ${f.gzipBytes} B gzipped`);
  });

  it(`keeps widget.js (the loader) within ${LOADER_BUDGET} bytes gzipped`, () => {
    const loader = files.find((f) => f.file === 'widget.js');
    expect(loader, 'widget.js was not built').to.exist;
    expect(loader!.gzipBytes).to.be.at.most(LOADER_BUDGET);
  });

  it(`keeps everything the widget loads within ${TOTAL_BUDGET} bytes gzipped`, () => {
    const widget = files.filter((f) => WIDGET_FILES.includes(f.file));
    expect(widget.map((f) => f.file)).to.have.members(WIDGET_FILES);
    const total = widget.reduce((sum, f) => sum + f.gzipBytes, 0);
    expect(total).to.be.at.most(TOTAL_BUDGET);
  });
});
