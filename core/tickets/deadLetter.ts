import { promises as fs } from 'node:fs';
import path from 'node:path';
import { log } from '../logger.ts';
import type { Delivery, DeliveryQueue } from '../storage/ports.ts';

/** A line of the dead-letter file earlier versions kept: a webhook delivery that failed every attempt. */
interface DeadLetter {
  deliveryId: string;
  ticketId: string;
  /** The exact JSON body that was sent: `{ event, deliveryId, ...payload }`. */
  body: string;
  attempts: number;
  lastError: string;
  failedAt: string;
}

/** Where earlier versions kept undeliverable webhooks, one JSON line each. */
export function deadLetterFileOf(dataDir: string): string {
  return path.join(dataDir, 'webhooks', 'dead-letter.jsonl');
}

/**
 * Move the dead letters an earlier version left in DATA_DIR into the
 * delivery queue as dead deliveries, with their delivery ids, so
 * `retry-webhooks` resends them as before. The file is removed only once the
 * queue holds them; a crash in between re-imports, and ids already there are
 * skipped. Resolves with how many were added.
 */
export async function importDeadLetters(dataDir: string, queue: DeliveryQueue): Promise<number> {
  const file = deadLetterFileOf(dataDir);
  const deliveries = await readDeadLetters(dataDir);
  if (deliveries === null) return 0;
  const added = await queue.adopt(deliveries);
  await fs.rm(file, { force: true });
  log.info('webhook', 'moved the dead-letter file into the delivery queue', { file, deliveries: deliveries.length });
  return added;
}

/** The dead letters an earlier version left in DATA_DIR, as dead deliveries; null when there is no such file. */
export async function readDeadLetters(dataDir: string): Promise<Delivery[] | null> {
  const text = await fs.readFile(deadLetterFileOf(dataDir), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return null;
  return text
    .split('\n')
    .map(parse)
    .filter((d): d is Delivery => d !== null);
}

function parse(line: string): Delivery | null {
  if (!line.trim()) return null;
  try {
    const letter = JSON.parse(line) as DeadLetter;
    const { event, deliveryId: _id, ...payload } = JSON.parse(letter.body) as Record<string, unknown>;
    return {
      id: letter.deliveryId,
      event: typeof event === 'string' ? event : 'ticket.created',
      payload,
      status: 'dead',
      attempts: letter.attempts,
      dueAt: letter.failedAt,
      createdAt: letter.failedAt,
      lastError: letter.lastError,
    };
  } catch {
    // A line torn by a crash mid-append was never acknowledged.
    return null;
  }
}
