import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A synthetic help-desk KB of any size, half Spanish and half English, with
 * the shape of real articles (title, tags, questions, answer, sections), for
 * benchmarks only. Deterministic: the same size gives the same files.
 */
const EN = {
  verbs: [
    'reset',
    'set up',
    'install',
    'update',
    'remove',
    'connect',
    'sync',
    'change',
    'recover',
    'share',
    'enable',
    'disable',
    'export',
    'renew',
    'configure',
  ],
  objects: [
    'password',
    'VPN profile',
    'printer',
    'mailbox',
    'laptop',
    'invoice',
    'refund',
    'order',
    'gift card',
    'Wi-Fi',
    'calendar',
    'license',
    'badge',
    'phone',
    'backup',
  ],
  places: [
    'on Windows',
    'on a Mac',
    'on Android',
    'on iPhone',
    'at the office',
    'from home',
    'in the app',
    'in Outlook',
    'in Teams',
    'for a new hire',
  ],
  ask: ['how do I', 'how can I', 'I need to', 'help me', 'can I', 'where do I'],
};
const ES = {
  verbs: [
    'restablecer',
    'configurar',
    'instalar',
    'actualizar',
    'quitar',
    'conectar',
    'sincronizar',
    'cambiar',
    'recuperar',
    'compartir',
    'activar',
    'desactivar',
    'exportar',
    'renovar',
    'ajustar',
  ],
  objects: [
    'la contraseña',
    'el perfil VPN',
    'la impresora',
    'el buzón',
    'el portátil',
    'la factura',
    'el reembolso',
    'el pedido',
    'la tarjeta regalo',
    'el wifi',
    'el calendario',
    'la licencia',
    'la tarjeta de acceso',
    'el móvil',
    'la copia de seguridad',
  ],
  places: [
    'en Windows',
    'en un Mac',
    'en Android',
    'en iPhone',
    'en la oficina',
    'desde casa',
    'en la app',
    'en Outlook',
    'en Teams',
    'para una nueva incorporación',
  ],
  ask: ['cómo puedo', 'necesito', 'quiero', 'ayúdame a', 'dónde puedo', 'no sé cómo'],
};

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SynthArticle {
  id: string;
  lang: 'es' | 'en';
  title: string;
  question: string;
}

/** Write `n` articles under `dir`; returns one sample question per article. */
export function writeSyntheticKb(dir: string, n: number, seed = 7): SynthArticle[] {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const out: SynthArticle[] = [];
  for (let i = 0; i < n; i++) {
    const lang = i % 2 === 0 ? 'en' : 'es';
    const v = lang === 'en' ? EN : ES;
    const verb = pick(v.verbs);
    const object = pick(v.objects);
    const place = pick(v.places);
    const code = `${String.fromCharCode(97 + (i % 26))}${(i * 7919) % 100_000}`;
    const title = `${cap(verb)} ${object} ${place} (${code})`;
    const questions = [
      `${pick(v.ask)} ${verb} ${object} ${place} ${code}`,
      `${object} ${place} ${code}`,
      `${verb} ${object} ${code}`,
    ];
    const id = `synthetic-${i}`;
    const folder = path.join(dir, `part-${Math.floor(i / 1000)}`);
    mkdirSync(folder, { recursive: true });
    const answer =
      lang === 'en'
        ? `Open the portal, choose ${object} and follow the steps to ${verb} it ${place}. Reference ${code}.`
        : `Abre el portal, elige ${object} y sigue los pasos para ${verb} ${place}. Referencia ${code}.`;
    const body = `# ${title}\n\n${answer}\n\n## ${lang === 'en' ? 'Steps' : 'Pasos'}\n\n1. ${answer}\n2. ${lang === 'en' ? 'Restart and try again.' : 'Reinicia y vuelve a probar.'}\n\n## ${lang === 'en' ? 'If it fails' : 'Si falla'}\n\n${lang === 'en' ? 'Call the help desk at extension 4357.' : 'Llama al soporte en la extensión 4357.'}\n`;
    const fm = [
      `id: ${id}`,
      `title: "${title}"`,
      `lang: ${lang}`,
      `tags: [${object.split(' ').pop()}, ${verb.split(' ')[0]}]`,
      'questions:',
      ...questions.map((q) => `  - "${q}"`),
      `answer: "${answer}"`,
      'status: published',
    ].join('\n');
    writeFileSync(path.join(folder, `${id}.md`), `---\n${fm}\n---\n${body}`);
    out.push({ id, lang, title, question: questions[0]! });
  }
  return out;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
