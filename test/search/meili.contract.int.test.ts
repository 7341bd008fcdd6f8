import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { publishToMeili } from '../../core/indexing/publishMeili.ts';
import { meiliDocument, meiliSettings } from '../../core/search/meiliDocuments.ts';
import { MeiliFullTextIndex } from '../../core/search/meiliFullTextIndex.ts';
import { fullTextContract } from './fullTextContract.ts';

/**
 * The contract against a real Meilisearch (see docs/backends.md, "Running the
 * integration suite"). Each run uses a fresh index and a search-only key
 * scoped to it, and deletes both afterwards.
 */
const host = process.env.MEILI_HOST;
const adminKey = process.env.MEILI_API_KEY;

fullTextContract(
  'Meilisearch (real server)',
  async (docs, synonyms) => {
    const admin = new Meilisearch({ host: host!, apiKey: adminKey, timeout: 10_000 });
    const uid = `deflect-contract-${randomBytes(4).toString('hex')}`;
    await publishToMeili(
      admin,
      docs.map((d) => meiliDocument(d, 'contract')),
      meiliSettings(synonyms),
      { index: uid, taskTimeoutMs: 120_000 },
    );
    const key = adminKey
      ? await admin.createKey({
          name: uid,
          description: 'contract suite',
          actions: ['search'],
          indexes: [uid],
          expiresAt: null,
        })
      : null;
    const index = new MeiliFullTextIndex(new Meilisearch({ host: host!, apiKey: key?.key, timeout: 10_000 }), {
      index: uid,
    });
    index.setCount((await admin.index(uid).getStats()).numberOfDocuments);
    return {
      index,
      close: async () => {
        await admin.deleteIndex(uid).waitTask();
        if (key) await admin.deleteKey(key.uid);
      },
    };
  },
  {
    skip: () =>
      host ? null : 'MEILI_HOST is not set; start Meilisearch and set MEILI_HOST (and MEILI_API_KEY) to run this suite',
  },
);
