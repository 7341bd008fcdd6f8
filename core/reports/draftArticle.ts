import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Article } from '../articles/types.ts';
import { DeflectError } from '../errors.ts';
import { fold } from '../text/analyze.ts';
import type { GapCluster } from './gaps.ts';

const MAX_QUESTIONS = 15;
const REVIEW_DAYS = 90;

const TEXT = {
  es: {
    answer: 'Escribe aquí la respuesta breve que el asistente dará a estas preguntas.',
    steps: 'Paso a paso',
    nearest: (link: string) =>
      `Artículo existente más cercano: ${link}. Si basta con ampliarlo, añade allí estas preguntas y borra este borrador.`,
    origin: (n: number) => `Borrador creado a partir de ${n} preguntas reales que la base de conocimiento no resolvió.`,
  },
  en: {
    answer: 'Write here the short answer the assistant will give to these questions.',
    steps: 'Steps',
    nearest: (link: string) =>
      `Nearest existing article: ${link}. If extending it is enough, add these questions there and delete this draft.`,
    origin: (n: number) => `Draft made from ${n} real questions the knowledge base did not settle.`,
  },
};

export class DraftExistsError extends DeflectError {
  override name = 'DraftExistsError';
  constructor(file: string) {
    super('conflict', `a draft for this gap already exists: ${file}`, { file });
  }
}

/**
 * Turn a gap cluster into a draft article: the real phrasings become
 * `questions:`, `status: draft` keeps it out of answers until an agent writes
 * the answer, reviews it and commits it. Never overwrites a file.
 */
export async function draftArticle(
  gap: GapCluster,
  opts: { draftsDir: string; kbDir: string; articles: ReadonlyMap<string, Article>; now?: Date },
): Promise<{ file: string; id: string }> {
  const lead = gap.phrasings[0]?.text ?? gap.id;
  const base =
    fold(lead)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || gap.id;
  const id = opts.articles.has(base) ? `${base}-${gap.id.slice(4, 10)}` : base;
  const title = titleOf(lead);
  const nearest = gap.nearest ? opts.articles.get(gap.nearest.articleId) : undefined;
  const now = opts.now ?? new Date();
  const fm: Record<string, unknown> = {
    id,
    title,
    lang: gap.lang,
    tags: gap.suggestedTags.length ? gap.suggestedTags : gap.keywords.slice(0, 3),
    ...(nearest?.category ? { category: nearest.category } : {}),
    questions: gap.phrasings.slice(0, MAX_QUESTIONS).map((p) => p.text),
    status: 'draft',
    audience: 'public',
    review_by: new Date(now.getTime() + REVIEW_DAYS * 86_400_000).toISOString().slice(0, 10),
    // Kept by the parser and ignored by the index: where the draft came from.
    gap: {
      id: gap.id,
      questions: gap.count,
      unanswered: gap.unanswered,
      not_helpful: gap.notHelpful,
      tickets: gap.ticket,
    },
  };
  const t = TEXT[gap.lang];
  const link = nearest
    ? `[${nearest.title}](${path.relative(opts.draftsDir, path.join(opts.kbDir, nearest.file)).split(path.sep).join('/')})`
    : '';
  const body = [
    `# ${title}`,
    '',
    t.answer,
    '',
    `## ${t.steps}`,
    '',
    '1. ',
    '',
    '---',
    '',
    t.origin(gap.count),
    ...(link ? ['', t.nearest(link)] : []),
    '',
  ].join('\n');
  const file = path.join(opts.draftsDir, `${id}.md`);
  await fs.mkdir(opts.draftsDir, { recursive: true });
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new DraftExistsError(file);
    throw error;
  }
  // Reported as written only once it is on disk.
  try {
    await handle.writeFile(`---\n${stringify(fm)}---\n${body}`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { file, id };
}

function titleOf(question: string): string {
  const s = question
    .trim()
    .replace(/^[¿¡]+/, '')
    .replace(/[?!.。]+$/, '')
    .trim();
  return (s.charAt(0).toUpperCase() + s.slice(1)).slice(0, 120) || question;
}
