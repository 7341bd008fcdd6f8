import { expect } from 'chai';
import { versionNamed } from '../../core/answers/pipeline/titleVariants.ts';
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
const named = (question: string, best: string, rival: string) => versionNamed(articles, question, best, rival);

/** Spanish titles of one how-to in two versions, written as a noun in one and a verb in the other. */
const ES: Record<string, string> = {
  'unenroll-ios': '¿Qué ocurre si anula la inscripción del dispositivo iOS o macOS?',
  'unenroll-macos': 'Anulación de la inscripción del dispositivo macOS desde el Portal de empresa',
  'outlook-android': 'Necesita actualizar el dispositivo Android para instalar Outlook',
  'outlook-ios': 'Necesita actualizar el dispositivo iOS para instalar Outlook',
  'sync-windows': 'Sincronizar manualmente el dispositivo Windows',
  'sync-ios': 'Sincronización manual de un dispositivo iOS con Portal de empresa',
  defender: 'Activar Windows Defender',
  vpn: 'Instalar la red privada virtual de la empresa',
  password: 'Requisitos de contraseña',
  'lost-device': 'Qué hacer si pierde el dispositivo',
  antimalware: 'Su dispositivo necesita software antimalware',
  certificate: 'Instalación del certificado requerido que falta',
};
const es = new Map(Object.entries(ES).map(([id, title]) => [id, { id, title, lang: 'es' } as unknown as Article]));
const nombra = (question: string, best: string, rival: string) => versionNamed(es, question, best, rival);

describe("Which version of a how-to the question names (near-duplicates' titles)", () => {
  it('has not chosen the best version when it names none of the words only its title has', () => {
    expect(
      named('iPhone and an Entrust smart card: it asks me to scan a QR code', 'entrust-android', 'entrust-ios'),
    ).to.equal('unnamed');
    expect(named('how long before it locks?', 'lock-screen', 'lock-phone')).to.equal('unnamed');
  });

  it('has chosen it when it names one of them and none of the rival’s, whatever else it says', () => {
    expect(named('my Android phone asks for an Entrust smart card', 'entrust-android', 'entrust-ios')).to.equal(
      'chosen',
    );
    expect(named('on the portal website my devices have odd names', 'rename-web', 'rename-app')).to.equal('chosen');
    expect(named('my screen goes dark after a minute', 'lock-screen', 'lock-phone')).to.equal('chosen');
    expect(nombra('intento bajar outlook en el android y falla', 'outlook-android', 'outlook-ios')).to.equal('chosen');
  });

  it('counts a word the title word begins as naming it ("MacBook" for "Mac")', () => {
    expect(named('my MacBook wants a recovery key', 'key-mac', 'key-windows')).to.equal('chosen');
    expect(named('my MacBook wants a recovery key', 'key-windows', 'key-mac')).to.equal('unnamed');
  });

  it('names the rival instead: the best version is not chosen', () => {
    expect(named('on the portal website my devices have odd names', 'rename-app', 'rename-web')).to.equal('unnamed');
  });

  it('has not chosen a version through a word the rival title has in another form (verb against noun)', () => {
    // "anular" names the verb "anula" of one title and the noun "Anulación" of the other alike.
    expect(nombra('Anular la inscripción del dispositivo macOS', 'unenroll-ios', 'unenroll-macos')).to.equal('unread');
    expect(nombra('como sincronizo el portatil', 'sync-windows', 'sync-ios')).to.equal('unread');
  });

  it('leaves the choice to the coverage when the question names words of both versions', () => {
    expect(named('my Android app or the portal website?', 'rename-web', 'rename-app')).to.equal('unread');
  });

  it('has nothing to read when the titles differ by no word, or one only adds words (no version beside it)', () => {
    expect(named('sync please', 'sync-device', 'sync-now')).to.equal('unread');
    expect(named('sync please', 'sync-device', 'unknown-article')).to.equal('unread');
  });

  it('ignores words most titles share: they say what the KB is about, not which version', () => {
    // "device" and "Docs" are in most titles here; "Company Portal" only in the iOS one's among the Entrust pair.
    expect(named('device Docs Entrust', 'entrust-android', 'entrust-ios')).to.equal('unnamed');
  });
});
