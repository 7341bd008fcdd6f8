import { loadConfig, type Config } from '../../core/config/index.ts';
import { createCore, type Core } from '../../core/createCore.ts';
import type { CoreServices } from '../../core/services.ts';
import { FIXTURE_KB } from './fixtureKb.ts';
import { tempDir } from './tempDir.ts';

export interface TestCore {
  core: Core;
  config: Config;
  /** The temporary data directory. */
  dir: string;
  close(): Promise<void>;
}

/**
 * The complete service bag, built by createCore as the server builds it,
 * over a KB (the fixture KB by default) in a fresh temporary data directory.
 */
export async function openTestCore(opts: { kbDir?: string; env?: Record<string, string> } = {}): Promise<TestCore> {
  const tmp = tempDir();
  const config = loadConfig({ KB_DIR: opts.kbDir ?? FIXTURE_KB, DATA_DIR: tmp.dir, ...opts.env });
  const core = await createCore(config);
  return {
    core,
    config,
    dir: tmp.dir,
    async close() {
      await core.close();
      tmp.cleanup();
    },
  };
}

/** The same bag with some services replaced (a fixed engine, a failing store): every other service stays the real one. */
export function withServices(core: CoreServices, overrides: Partial<CoreServices>): CoreServices {
  return { ...core, ...overrides };
}
