import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomicFile.ts';

/** 256 bits, for AES-256-GCM. */
export const LINK_KEY_BYTES = 32;

/**
 * The embedded deployment's mail link key (core/mail/linkSeal.ts), in
 * DATA_DIR/mail/link.key, made on first use: only the process owning the
 * data directory reads it, so there is no race to settle. Readable by this
 * user only, and never in the tickets' own file.
 */
export function fileLinkKey(dataDir: string): () => Promise<Buffer> {
  const file = path.join(dataDir, 'mail', 'link.key');
  let key: Promise<Buffer> | undefined;
  return () =>
    (key ??= (async () => {
      const existing = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
      if (existing?.length === LINK_KEY_BYTES) return existing;
      const fresh = randomBytes(LINK_KEY_BYTES);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, fresh);
      await fs.chmod(file, 0o600);
      return fresh;
    })().catch((error: unknown) => {
      key = undefined;
      throw error;
    }));
}
