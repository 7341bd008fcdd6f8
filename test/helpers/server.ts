import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { loadConfig, type Config } from '../../core/config/index.ts';
import { createCore, type Core } from '../../core/createCore.ts';
import { createApp, type AppDeps } from '../../server/app.ts';
import { createHttpServer } from '../../server/httpServer.ts';
import { FIXTURE_KB } from './fixtureKb.ts';
import { tempDir } from './tempDir.ts';

export interface TestServer {
  url: string;
  core: Core;
  config: Config;
  /** The app's deps, plus the ticket store for assertions. */
  deps: AppDeps & { tickets: Core['tickets'] };
  close(): Promise<void>;
}

/**
 * The real server on 127.0.0.1 and a random port, over a KB (the fixture KB by
 * default) indexed into a fresh temporary data directory.
 */
export async function startTestServer(
  opts: { kbDir?: string; env?: Record<string, string>; extraRoutes?: (core: Core, config: Config) => Router[] } = {},
): Promise<TestServer> {
  const tmp = tempDir();
  // Tests send many requests from one address: rate limits are tested on their own, with low values.
  const config = loadConfig({
    KB_DIR: opts.kbDir ?? FIXTURE_KB,
    DATA_DIR: tmp.dir,
    PORT: '0',
    RATE_LIMIT_ASK_PER_MINUTE: '100000',
    RATE_LIMIT_CONVERSATION_PER_MINUTE: '100000',
    RATE_LIMIT_TICKETS_PER_HOUR: '100000',
    ...opts.env,
  });
  const core = await createCore(config);
  const deps = { core, config, extraRoutes: opts.extraRoutes?.(core, config) };
  const app = createApp(deps);
  const server = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    core,
    config,
    deps: { ...deps, tickets: core.tickets },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close();
      tmp.cleanup();
    },
  };
}

/** POST JSON and return status and parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? safeJson(text) : null, headers: res.headers };
}

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? safeJson(text) : null, headers: res.headers };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
