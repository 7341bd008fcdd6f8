import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { configSchema } from '../../core/config/index.ts';

/** The README is where operators look: its configuration table must know every setting the server reads. */
describe('README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('starts with the two commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).to.contain('npm install && npm start');
    expect(firstBlock).to.contain('npm test');
    expect(readme.indexOf('```sh')).to.be.below(readme.indexOf('\n## '));
  });

  it('documents every environment variable in its configuration table', () => {
    const table = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5),
    );
    const missing = Object.keys(configSchema.shape).filter((key) => !table.includes(`\`${key}\``));
    expect(missing).to.deep.equal([]);
  });
});
