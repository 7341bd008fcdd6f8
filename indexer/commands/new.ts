import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { configFromEnv } from '../../core/config/index.ts';
import { fold } from '../../core/text/analyze.ts';
import { isLang } from '../../core/text/analyze.ts';

export const summary = 'Scaffold an article: new "<title>" --lang es [--category C] [--dir accounts]';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      lang: { type: 'string' },
      category: { type: 'string' },
      dir: { type: 'string' },
      owner: { type: 'string' },
    },
  });
  const config = configFromEnv();
  const title = positionals.join(' ').trim();
  if (!title) {
    process.stderr.write('Give the article a title: npm run kb -- new "Reset your password" --lang en\n');
    return 2;
  }
  const lang = values.lang ?? config.defaultLang;
  if (!isLang(lang)) {
    process.stderr.write(`Unknown language '${lang}' (es, en)\n`);
    return 2;
  }
  const id =
    fold(title)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'article';
  const folder = path.join(config.kbDir, values.dir ?? '');
  const file = path.join(folder, `${id}.md`);
  const review = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
  const fm = {
    id,
    title,
    lang,
    tags: [],
    category: values.category ?? '',
    questions: [],
    answer: '',
    status: 'draft',
    audience: 'public',
    owner: values.owner ?? '',
    review_by: review,
  };
  const body =
    lang === 'es'
      ? `# ${title}\n\nDescribe el problema y la solución.\n\n## Paso a paso\n\n1. \n`
      : `# ${title}\n\nDescribe the problem and the fix.\n\n## Steps\n\n1. \n`;
  await fs.mkdir(folder, { recursive: true });
  try {
    await fs.writeFile(file, `---\n${stringify(fm)}---\n${body}`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      process.stderr.write(`${file} already exists\n`);
      return 1;
    }
    throw error;
  }
  process.stdout.write(
    `Created ${file} (status: draft). Fill in tags, questions and answer, then run npm run kb -- lint\n`,
  );
  return 0;
}
