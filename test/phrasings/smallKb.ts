import { buildArticle, writeKb } from '../helpers/articles.ts';
import { tempDir } from '../helpers/tempDir.ts';

/**
 * A small Spanish/English KB in a temp folder, written in the ways authors
 * write front matter: a block list, a flow list, an unindented list, no
 * `questions:` at all, and a hand-written file with comments and CRLF line ends.
 */
export function smallKb(): { dir: string; cleanup: () => void } {
  const kb = tempDir('deflect-phrasings-kb-');
  writeKb(kb.dir, {
    'account/reset-password.md': buildArticle(
      {
        id: 'reset-password',
        title: 'Reset your password',
        tags: ['account'],
        questions: ['I forgot my password', 'how do I change my password'],
        answer: 'Open https://id.example/reset, type your work address and follow the link we send.',
      },
      '# Reset your password\n\n1. Open the reset page.\n2. Type your work address.\n3. Follow the link in the e-mail.\n',
    ),
    'network/vpn-setup.md': `---\nid: vpn-setup\ntitle: Set up the VPN\nlang: en\ntags: [vpn, network]\nquestions: [how do I connect to the VPN from home, install the VPN client]\nanswer: Install GlobalConnect from the software centre and sign in with your work account.\nstatus: published\n---\n# Set up the VPN\n\nInstall **GlobalConnect** from the software centre.\n\n- Sign in with your work account.\n- Pick the nearest gateway.\n`,
    'printing/printer-jam.md': `---\nid: printer-jam\ntitle: Clear a printer jam\nlang: en\ntags: [printer]\nquestions:\n- the printer is jammed\n- paper stuck in the printer\nanswer: Open tray 2, pull the paper out gently and close the tray.\nstatus: published\n---\n# Clear a printer jam\n\nOpen tray 2 and pull the paper out gently.\n`,
    'shop/refund.md': buildArticle(
      {
        id: 'refund',
        title: 'Get a refund',
        tags: ['refund'],
        questions: undefined,
        answer: 'Refunds reach your card within 5 working days of us receiving the return.',
      },
      '# Get a refund\n\nSend the item back with the return label. Refunds reach your card within 5 working days.\n',
    ),
    'cuenta/restablecer-contrasena.md': [
      '---',
      '# Artículo de cuenta: escrito a mano',
      'id: restablecer-contrasena',
      'title: Restablecer la contraseña',
      'lang: es',
      'tags: [cuenta]',
      'questions:',
      '  - olvidé mi contraseña   # la más frecuente',
      '  - "cambiar la contraseña"',
      'answer: >',
      '  Entra en https://id.example/reset, escribe tu correo del trabajo',
      '  y sigue el enlace que te enviamos.',
      'status: published',
      '---',
      '# Restablecer la contraseña',
      '',
      'Texto   con  espacios   raros,\ty tabuladores.  ',
      '',
      '',
    ].join('\r\n'),
  });
  return kb;
}
