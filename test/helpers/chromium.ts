import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: the only browser the specs use (installed by npm test's pretest step, never downloaded). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Launches Chromium headless, with the flags that keep it off the network
 * (this machine refuses outside connections); fails loudly, never skips,
 * when it is not installed. `extraArgs` adds flags (a host-resolver rule).
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser specs need Chromium at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}
