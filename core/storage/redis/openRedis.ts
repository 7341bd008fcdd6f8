import { createClient } from 'redis';
import { describeUrl } from '../../config/storage.ts';
import { log } from '../../logger.ts';
import type { RedisCommands } from '../ports.ts';

/** A connected Redis client, reduced to what shared rate limits need, and its closer. */
export async function openRedis(url: string, prefix: string): Promise<RedisCommands & { close(): Promise<void> }> {
  const client = createClient({ url });
  // Without a listener a dropped connection would crash the process; the client reconnects by itself.
  client.on('error', (error: Error) => log.warn('storage', 'redis connection error', { redis: describeUrl(url), error: error.message }));
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
