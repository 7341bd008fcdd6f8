import type { EnqueuedTaskPromise, Task } from 'meilisearch';
import { DeflectError } from '../errors.ts';

/** A Meilisearch task ended other than in success; carries Meilisearch's own error code. */
export class MeiliTaskError extends DeflectError {
  override name = 'MeiliTaskError';
  constructor(
    readonly task: { uid: number; type: string; status: string },
    readonly meiliCode: string | undefined,
    message: string,
  ) {
    super(
      'search_index_failed',
      `Meilisearch task ${task.uid} (${task.type}) ${task.status}${meiliCode ? ` [${meiliCode}]` : ''}: ${message}`,
      { meiliCode, taskUid: task.uid },
    );
  }
}

/**
 * Enqueue, then wait for the task to finish (waitTask polls the task, it
 * does not guess with sleeps); anything but `succeeded` is a MeiliTaskError.
 */
export async function awaitTask(enqueued: EnqueuedTaskPromise, timeoutMs: number): Promise<Task> {
  const task = await enqueued.waitTask({ timeout: timeoutMs });
  if (task.status !== 'succeeded')
    throw new MeiliTaskError(task, task.error?.code, task.error?.message ?? 'no error given');
  return task;
}
