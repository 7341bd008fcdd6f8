import { expect } from 'chai';
import { namesBestVersion } from '../../core/answers/pipeline/titleVariants.ts';
import type { Article } from '../../core/articles/types.ts';

/** Titles of a documentation KB: one how-to per platform, and words most titles share. */
const TITLES: Record<string, string> = {
  'entrust-android': 'Enroll an Android device with the Intune app and Entrust Datacard | Docs',
  'entrust-ios': 'Enroll an iOS or iPadOS device with Company Portal and Entrust Datacard | Docs',
  'rename-web': 'Rename a device from the Company Portal website | Docs',
  'rename-app': 'Rename a device from the Company Portal app for Windows | Docs',
  'lock-screen': 'Set the time before the screen locks | Docs',
  'lock-phone': 'Set the time before the phone locks | Docs',
  'sync-device': 'Sync your device manually | Docs',
  'key-mac': 'Get a recovery key for a Mac | Docs',
  'key-windows': 'Get a recovery key for Windows | Docs',
  'sync-now': 'Sync your device manually | Docs',
};
const articles = new Map(
  Object.entries(TITLES).map(([id, title]) => [id, { id, title, lang: 'en' } as unknown as Article]),
);
const names = (question: string, best: string, rival: string) => namesBestVersion(articles, question, best, rival);

describe("Which version of a how-to the question names (near-duplicates' titles)", () => {
  it('has not chosen the best version when it names none of the words only its title has', () => {
    expect(names('iPhone and an Entrust smart card: it asks me to scan a QR code', 'entrust-android', 'entrust-ios')).to
      .be.false;
    expect(names('how long before it locks?', 'lock-screen', 'lock-phone')).to.be.false;
  });

  it('has chosen it when it names one of them, whatever else it says', () => {
    expect(names('my Android phone asks for an Entrust smart card', 'entrust-android', 'entrust-ios')).to.be.true;
    expect(names('on the portal website my devices have odd names', 'rename-web', 'rename-app')).to.be.true;
    expect(names('my screen goes dark after a minute', 'lock-screen', 'lock-phone')).to.be.true;
  });

  it('counts a word the title word begins as naming it ("MacBook" for "Mac")', () => {
    expect(names('my MacBook wants a recovery key', 'key-mac', 'key-windows')).to.be.true;
    expect(names('my MacBook wants a recovery key', 'key-windows', 'key-mac')).to.be.false;
  });

  it('names the rival instead: the best version is not chosen', () => {
    expect(names('on the portal website my devices have odd names', 'rename-app', 'rename-web')).to.be.false;
  });

  it('has nothing to read when the titles differ by no word, or one only adds words (no version beside it)', () => {
    expect(names('sync please', 'sync-device', 'sync-now')).to.be.true;
    expect(names('sync please', 'sync-device', 'unknown-article')).to.be.true;
  });

  it('ignores words most titles share: they say what the KB is about, not which version', () => {
    // "device" and "Docs" are in most titles here; "Company Portal" only in the iOS one's among the Entrust pair.
    expect(names('device Docs Entrust', 'entrust-android', 'entrust-ios')).to.be.false;
  });
});
