import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

const DIR = 'bot/teams';

/** Width, height and colour type, from a PNG's header (IHDR). */
function pngHeader(file: string): { width: number; height: number; colorType: number } {
  const png = readFileSync(file);
  expect(png.subarray(0, 8).toString('hex'), `${file} is a PNG`).to.equal('89504e470d0a1a0a');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]! };
}

describe('Teams app manifest template (bot/teams)', () => {
  const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8'));

  it('registers the bot under the Azure Bot app id, as the app id too', () => {
    expect(manifest.id).to.equal('{{MICROSOFT_APP_ID}}');
    expect(manifest.bots).to.have.length(1);
    expect(manifest.bots[0]).to.include({ botId: '{{MICROSOFT_APP_ID}}', isNotificationOnly: false });
    expect(manifest.bots[0].scopes).to.include('personal');
  });

  it('ships the icons Teams requires: a 192×192 colour icon and a 32×32 outline with transparency', () => {
    expect(pngHeader(path.join(DIR, manifest.icons.color))).to.include({ width: 192, height: 192 });
    // Colour type 6 = RGBA: the outline must be white on a transparent background.
    expect(pngHeader(path.join(DIR, manifest.icons.outline))).to.deep.equal({ width: 32, height: 32, colorType: 6 });
  });

  it('keeps texts within the store limits (short name 30, short description 80, full description 4000)', () => {
    expect(manifest.name.short.length).to.be.at.most(30);
    expect(manifest.name.full.length).to.be.at.most(100);
    expect(manifest.description.short.length).to.be.at.most(80);
    expect(manifest.description.full.length).to.be.at.most(4000);
  });
});
