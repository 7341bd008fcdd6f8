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
  const file = linkKeyFile(dataDir);
  let key: Promise<Buffer> | undefined;
  return () =>
    (key ??= (async () => {
      const existing = await readLinkKey(dataDir);
      if (existing) return existing;
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

/** The key an embedded deployment made, or null when it never sealed a link (migrate-store: read, never made). */
export async function readLinkKey(dataDir: string): Promise<Buffer | null> {
  const key = await fs.readFile(linkKeyFile(dataDir)).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  return key?.length === LINK_KEY_BYTES ? key : null;
}

function linkKeyFile(dataDir: string): string {
  return path.join(dataDir, 'mail', 'link.key');
}
