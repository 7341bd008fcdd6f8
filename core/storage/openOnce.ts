import type { KeyValueRepository } from './ports.ts';

/** Open on first use and share; a failed open is retried on next use rather than remembered. */
export function openOnce<T>(open: () => Promise<KeyValueRepository<T>>): () => Promise<KeyValueRepository<T>> {
  let opened: Promise<KeyValueRepository<T>> | undefined;
  return () =>
    (opened ??= open().catch((error: unknown) => {
      opened = undefined;
      throw error;
    }));
}
