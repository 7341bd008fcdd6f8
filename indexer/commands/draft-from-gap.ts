import { parseArgs } from 'node:util';
import { draftFromGap } from '../../core/commands/draftFromGap.ts';
import { reportGaps } from '../../core/commands/reportGaps.ts';
import { configFromEnv } from '../../core/config/index.ts';
import { openReportsReadOnly } from '../../core/openServices.ts';

export const summary =
  'Write a draft article from a gap cluster: draft-from-gap <gap-id> [--from YYYY-MM-DD --to YYYY-MM-DD]; without an id, list the gaps';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, limit: { type: 'string', default: '20' } },
  });
  // Read-only on the data directory (the server may be running): no report cache is written.
  const core = await openReportsReadOnly(configFromEnv());
  try {
    return await draftOrList(core, values, positionals[0]);
  } finally {
    await core.close();
  }
}

async function draftOrList(
  core: Awaited<ReturnType<typeof openReportsReadOnly>>,
  values: { from?: string; to?: string; limit?: string },
  id: string | undefined,
): Promise<number> {
  const period = { from: values.from, to: values.to };
  if (!id) {
    const { clusters } = await reportGaps(core, { ...period, limit: Number(values.limit) || 20 });
    if (!clusters.length) process.stdout.write('No gaps in this period.\n');
    for (const c of clusters)
      process.stdout.write(
        `${c.id}  ${String(c.count).padStart(4)}  ${c.lang}  ${c.phrasings
          .slice(0, 2)
          .map((p) => `"${p.text}"`)
          .join(', ')}${c.nearest ? `  (nearest: ${c.nearest.articleId} ${c.nearest.confidence})` : ''}\n`,
      );
    return 0;
  }
  const draft = await draftFromGap(core, { ...period, gapId: id });
  process.stdout.write(
    `Created ${draft.file} (status: draft, ${draft.questions} real phrasings as questions). Write the answer, then run npm run kb -- lint and commit it.\n`,
  );
  return 0;
}
