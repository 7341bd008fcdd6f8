import { hostname } from 'node:os';
import { createClient } from 'redis';
import { describeUrl } from '../../config/storage.ts';
import { UnavailableError } from '../../errors.ts';
import { log } from '../../logger.ts';
import type { RedisCommands } from '../ports.ts';

/** A connected Redis client, reduced to what shared rate limits need, and its closer. */
export async function openRedis(url: string, prefix: string): Promise<RedisCommands & { close(): Promise<void> }> {
  let ready = false;
  const client = createClient({
    url,
    // Which instance a connection is in CLIENT LIST (kept across reconnections), as application_name is in pg_stat_activity.
    name: `deflect-${hostname()}-${process.pid}`,
    socket: {
      connectTimeout: 5000,
      // Once connected, a dropped connection is retried for ever (requests wait); at start, three failures stop it.
      reconnectStrategy: (retries, cause) =>
        ready
          ? Math.min(100 * 2 ** retries, 2000)
          : retries < 3
            ? 500
            : new UnavailableError(`could not reach Redis at ${describeUrl(url)}: ${cause.message}`, { cause }),
    },
  });
  client.on('ready', () => (ready = true));
  // Without a listener a dropped connection would crash the process; the client reconnects by itself.
  client.on('error', (error: Error) =>
    log.warn('storage', 'redis connection error', { redis: describeUrl(url), error: error.message }),
  );
  await client.connect();
  log.info('storage', 'rate limits shared through redis', { redis: describeUrl(url), prefix });
  return {
    prefix,
    sendCommand: (args) => client.sendCommand(args),
    async close() {
      await client.close();
    },
  };
}
