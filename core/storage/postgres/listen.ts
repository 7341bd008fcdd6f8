import pg from 'pg';
import { log } from '../../logger.ts';

/** The name the listening connection shows in pg_stat_activity. */
export const LISTENER_NAME = 'deflect-listener';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;
/** As the pool's: an unreachable server fails the attempt in time for the next, rather than after the system's TCP timeout. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * LISTEN on `channel` on a dedicated connection (a pooled one would be handed
 * to other queries and stop hearing), reconnecting with a growing pause when
 * it drops (a restart, a failover, pg_terminate_backend). `onConnected` runs
 * after each (re)connection: notifications sent while it was down are lost,
 * so the caller looks for what it missed. An outage is logged when it starts
 * and when it ends, not at every attempt between.
 */
export function listen(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  onConnected: () => void,
): { close(): Promise<void> } {
  let client: pg.Client | null = null;
  let closed = false;
  let delay = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;
  /** Since the connection was lost or first failed, until it listens again: attempts between are not logged. */
  let down = false;

  const retry = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, MAX_RETRY_MS);
  };
  const drop = (c: pg.Client, reason: string) => {
    if (client !== c) return;
    client = null;
    down = true;
    log.warn('storage', 'lost the connection listening for notifications; reconnecting', { channel, reason });
    c.end().catch(() => undefined);
    retry();
  };
  const connect = async () => {
    const c = new pg.Client({
      connectionString: url,
      application_name: LISTENER_NAME,
      keepAlive: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    c.on('notification', (m) => {
      if (m.channel === channel) onNotify(m.payload ?? '');
    });
    c.on('error', (error) => drop(c, error.message));
    c.on('end', () => drop(c, 'connection ended'));
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (error) {
      c.end().catch(() => undefined);
      if (!closed && !down)
        log.warn('storage', 'could not listen for notifications; retrying', {
          channel,
          error: (error as Error).message,
        });
      down = true;
      retry();
      return;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    delay = FIRST_RETRY_MS;
    if (down) log.info('storage', 'listening for notifications again', { channel });
    down = false;
    onConnected();
  };
  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
