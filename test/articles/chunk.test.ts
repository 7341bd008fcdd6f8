import { expect } from 'chai';
import { chunkBody } from '../../core/articles/chunk.ts';

describe('chunkBody', () => {
  const body = [
    '# Set up the VPN',
    '',
    'Install the client.',
    '',
    '## On Windows',
    '',
    'Open the app.',
    '',
    '### Proxy',
    '',
    'Set the proxy.',
    '',
    '## On a Mac',
    '',
    'Use Self Service. See [wifi](../network/wifi.md).',
    '',
  ].join('\n');

  it('splits at headings and keeps each heading with its text', () => {
    const { chunks } = chunkBody('vpn', 'Set up the VPN', body);
    expect(chunks.map((c) => [c.heading, c.text])).to.deep.equal([
      ['', 'Install the client.'],
      ['On Windows', 'Open the app.'],
      ['Proxy', 'Set the proxy.'],
      ['On a Mac', 'Use Self Service. See wifi.'],
    ]);
    expect(chunks.map((c) => c.id)).to.deep.equal(['vpn#0', 'vpn#1', 'vpn#2', 'vpn#3']);
  });

  it('returns the first section as Markdown, the headings and the relative .md links', () => {
    const r = chunkBody('vpn', 'Set up the VPN', body);
    expect(r.firstSection).to.equal('Install the client.');
    expect(r.headings).to.deep.equal(['Set up the VPN', 'On Windows', 'Proxy', 'On a Mac']);
    expect(r.links).to.deep.equal(['../network/wifi.md']);
  });

  it('strips raw tags and admonition markers that Docs-style Markdown leaves in text', () => {
    const { chunks } = chunkBody('x', 'T', '## <a name="a"></a>Cifrado\n\n> [!NOTE]\n> Algo importante.\n');
    expect(chunks[0]!.heading).to.equal('Cifrado');
    expect(chunks[0]!.text).to.equal('Algo importante.');
  });
});
