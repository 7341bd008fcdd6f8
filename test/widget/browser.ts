/**
 * Helpers for the widget's browser tests: real headless Chromium, a host site
 * on another origin with a strict CSP, screenshots, and console watching.
 */
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium as launchBrowser } from '../helpers/chromium.ts';

/** The host site's name; Chromium maps it to 127.0.0.1, so it is a different origin from the API. */
export const HOST_NAME = 'northwind.test';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '../../test-artifacts/widget');

/** Launches Debian's Chromium with the demo host name mapped to this machine. */
export function launchChromium(): Promise<Browser> {
  return launchBrowser([`--host-resolver-rules=MAP ${HOST_NAME} 127.0.0.1`]);
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
}

/** A fresh browser context (own sessionStorage) with a page whose errors are recorded. */
export async function openPage(
  browser: Browser,
  opts: { width?: number; height?: number; reducedMotion?: boolean; locale?: string } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    reducedMotion: opts.reducedMotion === false ? 'no-preference' : 'reduce',
    locale: opts.locale ?? 'en-US',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { page, context, problems };
}

export interface HostSite {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves host pages from http://northwind.test:PORT with a strict CSP that only
 * allows the API's origin for the widget script, its requests and images.
 */
export async function startHostSite(
  apiUrl: string,
  files: Record<string, string>,
  opts: { extraCsp?: string[] } = {},
): Promise<HostSite> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${apiUrl}`,
    "style-src 'self'",
    `img-src 'self' data: ${apiUrl}`,
    `connect-src 'self' ${apiUrl}`,
    "base-uri 'none'",
    "object-src 'none'",
    ...(opts.extraCsp ?? []),
  ].join('; ');
  const server = createServer((req, res) => {
    const path = new URL(req.url || '/', 'http://host').pathname;
    const body = files[path];
    if (body === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    const type = path.endsWith('.css')
      ? 'text/css'
      : path.endsWith('.js')
        ? 'text/javascript'
        : 'text/html; charset=utf-8';
    res.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST_NAME}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A plain host page with the one-tag snippet, as a help desk would paste it. */
export function hostPage(
  apiUrl: string,
  opts: { lang?: string; attrs?: Record<string, string>; head?: string; body?: string; widget?: boolean } = {},
): string {
  const attrs = Object.entries(opts.attrs ?? {})
    .map(([k, v]) => ` ${k}="${v.replace(/"/g, '&quot;')}"`)
    .join('');
  const tag =
    opts.widget === false
      ? ''
      : `<script src="${apiUrl}/widget.js" data-deflect-url="${apiUrl}"${attrs} async></script>`;
  return `<!doctype html>
<html lang="${opts.lang ?? 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Host page</title>${opts.head ?? ''}</head>
<body>
<main><h1>Northwind test shop</h1><p>Plain host page.</p><a id="page-link" href="/next">Next page</a> <button id="page-button" type="button">Page button</button></main>
${opts.body ?? ''}
${tag}
</body>
</html>`;
}

/** Saves a screenshot to test-artifacts/widget/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Opens the widget with its launcher and waits for the question box. */
export async function openWidget(page: Page): Promise<void> {
  await page.locator('.d-launcher').click();
  await page.locator('.d-input').waitFor({ state: 'visible' });
}

/** Types a question into the widget and sends it with Enter. */
export async function askWidget(page: Page, question: string): Promise<void> {
  await page.locator('.d-input').fill(question);
  await page.locator('.d-input').press('Enter');
}
