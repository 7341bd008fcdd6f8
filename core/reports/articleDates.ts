import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Article } from '../articles/types.ts';

/** When each article's file last changed (YYYY-MM-DD, from the file system), for the article-health report. */
export async function articleDates(kbDir: string, articles: Iterable<Article>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    [...articles].map(async (a) => {
      const st = await fs.stat(path.join(kbDir, a.file)).catch(() => null);
      if (st) out.set(a.id, st.mtime.toISOString().slice(0, 10));
    }),
  );
  return out;
}
