import { expect } from 'chai';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { tempDir } from '../helpers/tempDir.ts';
import {
  askWidget,
  hostPage,
  launchChromium,
  openPage,
  openWidget,
  screenshot,
  startHostSite,
  type HostSite,
} from './browser.ts';
import { startFakeApi, type FakeApi } from './fakeApi.ts';

/** Page CSS written to break anything it can reach. */
const HOSTILE_CSS = `
html { font-size: 7px !important; }
* { font-family: "Courier New", monospace !important; color: #f0f !important; font-size: 31px !important; line-height: 3 !important;
    letter-spacing: 4px !important; text-transform: uppercase !important; box-sizing: content-box !important; --d-accent: #f0f; }
div, section, header, footer, form, p, ul, li, span, button, input, textarea, a, article, h2, h3, svg, deflect-widget {
  display: block !important; position: static !important; margin: 17px !important; padding: 23px !important; border: 6px dashed lime !important;
  background: yellow !important; opacity: .4 !important; transform: rotate(4deg) !important; width: 50px !important; height: 50px !important;
  visibility: hidden !important; z-index: 0 !important; float: left !important; }
button, input { all: unset !important; }
deflect-widget { display: none !important; --d-on-accent: #0f0; }
body > * { filter: blur(3px) !important; }
`;

/** A knowledge-base article written by someone trying to attack the widget. */
const HOSTILE_ARTICLE = `---
id: hostile-en
title: Hostile <script>window.__pwned='title'</script> <img src=x onerror="window.__pwned='title-img'"> article
lang: en
questions:
  - how do I break the help widget
answer: |
  Try <script>window.__pwned = 'answer'</script> and <img src=x onerror="window.__pwned='img'"> and [click me](javascript:window.__pwned='link') and [safe link](https://example.com/ok).
---
# Hostile

<iframe src="javascript:alert(1)"></iframe> <svg onload="window.__pwned='svg'"></svg>
`;

/** Computed styles that reveal any leak, for the widget's main parts. */
async function widgetStyles(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector('deflect-widget')!.shadowRoot!;
    const props = [
      'color',
      'background-color',
      'font-family',
      'font-size',
      'line-height',
      'letter-spacing',
      'text-transform',
      'display',
      'position',
      'margin-top',
      'padding-top',
      'border-top-width',
      'opacity',
      'transform',
      'width',
      'height',
      'visibility',
      'box-sizing',
      'filter',
    ];
    const out: Record<string, Record<string, string>> = {};
    for (const sel of [
      '.d-launcher',
      '.d-panel',
      '.d-head',
      '.d-title',
      '.d-input',
      '.d-send',
      '.d-card',
      '.d-card-title',
      '.d-card-body p',
      '.d-chip',
      '.d-human',
      '.d-user .d-bubble',
    ]) {
      const el = root.querySelector(sel);
      if (!el) throw new Error('missing ' + sel);
      const cs = getComputedStyle(el);
      out[sel] = Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
      const r = el.getBoundingClientRect();
      out[sel]!.box = [r.x, r.y, r.width, r.height].map(Math.round).join(',');
    }
    return out;
  });
}

/** Computed styles of the host page's own elements. */
async function pageStyles(page: Page) {
  return page.evaluate(() =>
    ['body', 'h1', 'p', '#page-link', '#page-button', 'main'].map((sel) => {
      const cs = getComputedStyle(document.querySelector(sel)!);
      return [
        sel,
        cs.color,
        cs.fontFamily,
        cs.fontSize,
        cs.margin,
        cs.padding,
        cs.backgroundColor,
        cs.boxSizing,
        cs.lineHeight,
      ].join('|');
    }),
  );
}

describe('widget isolation and safety', function () {
  this.timeout(60000);
  let browser: Browser;
  let api: FakeApi;
  let site: HostSite;

  before(async () => {
    browser = await launchChromium();
    api = await startFakeApi();
    site = await startHostSite(api.url, {
      '/': hostPage(api.url),
      '/hostile': hostPage(api.url, { head: '<link rel="stylesheet" href="/hostile.css">' }),
      '/hostile.css': HOSTILE_CSS,
      '/plain': hostPage(api.url, { widget: false }),
    });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await api?.close();
  });

  async function answered(path: string, question = 'I forgot my password') {
    const watched = await openPage(browser);
    await watched.page.goto(site.url + path);
    await openWidget(watched.page);
    await askWidget(watched.page, question);
    await watched.page.locator('.d-card').waitFor();
    return watched;
  }

  it('shows a question with <script> and <img onerror> as text and runs nothing', async () => {
    const question = "<img src=x onerror=\"window.__pwned='q'\"><script>window.__pwned='q2'</script> hostile";
    const { page, problems, context } = await answered('/', question);
    expect(await page.locator('.d-user .d-bubble').innerText()).to.equal(question);
    const found = await page.evaluate(() => {
      const root = document.querySelector('deflect-widget')!.shadowRoot!;
      return {
        pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
        dangerous: root.querySelectorAll(
          'script, img:not(.d-logo), iframe, svg:not(.d-icon), object, embed, [onerror], [onload]',
        ).length,
        hrefs: Array.from(root.querySelectorAll('.d-card a')).map((a) => a.getAttribute('href')),
      };
    });
    expect(found.pwned).to.equal(null);
    expect(found.dangerous).to.equal(0);
    for (const href of found.hrefs) expect(href).to.match(/^https?:/);
    expect(await page.locator('.d-card-title').innerText()).to.contain('<b>title</b>');
    // The javascript: link is now inert text; clicking it must do nothing.
    await page.locator('.d-card-body').getByText('click me').click();
    const safe = page.locator('.d-card-body a', { hasText: 'safe link' });
    expect(await safe.getAttribute('rel')).to.contain('noopener');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null)).to.equal(null);
    expect(problems, 'no errors and no CSP violations').to.deep.equal([]);
    await screenshot(page, 'hostile-content');
    await context.close();
  });

  it('looks exactly the same on a page with hostile global CSS', async () => {
    const clean = await answered('/');
    const hostile = await answered('/hostile');
    expect(await widgetStyles(hostile.page)).to.deep.equal(await widgetStyles(clean.page));
    await screenshot(hostile.page, 'hostile-css');
    expect(hostile.problems).to.deep.equal([]);
    await clean.context.close();
    await hostile.context.close();
  });

  it('does not change the host page styles, and adds no global but Deflect', async () => {
    const plain = await openPage(browser);
    await plain.page.goto(site.url + '/plain');
    const before = await pageStyles(plain.page);
    const globalsBefore = await plain.page.evaluate(() => Object.getOwnPropertyNames(window));
    const { page, context } = await answered('/');
    expect(await pageStyles(page)).to.deep.equal(before);
    const globalsAfter = await page.evaluate(() => Object.getOwnPropertyNames(window));
    expect(globalsAfter.filter((g) => !globalsBefore.includes(g))).to.deep.equal(['Deflect']);
    expect(
      await page.evaluate(() => document.head.querySelectorAll('style, script[src*="widget-app"]').length),
      'no styles or leftover scripts in the page head',
    ).to.equal(0);
    await plain.context.close();
    await context.close();
  });

  it('is styled under a CSP without unsafe-inline (no inline styles or scripts needed)', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await openWidget(page);
    const launcherBg = await page.locator('.d-launcher').evaluate((el) => getComputedStyle(el).backgroundColor);
    const panelPos = await page.locator('.d-panel').evaluate((el) => getComputedStyle(el).position);
    expect(launcherBg).to.equal('rgb(29, 78, 216)');
    expect(panelPos).to.equal('fixed');
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('works on a site that enforces Trusted Types, with its `deflect` policy', async () => {
    const tt = await startHostSite(
      api.url,
      { '/': hostPage(api.url) },
      { extraCsp: ["require-trusted-types-for 'script'", 'trusted-types deflect'] },
    );
    const { page, problems, context } = await openPage(browser);
    await page.goto(tt.url + '/');
    await openWidget(page);
    await askWidget(page, 'I forgot my password');
    await page.locator('.d-card').waitFor();
    expect(await page.locator('.d-card-body strong').innerText(), 'the answer keeps its formatting').to.equal(
      'id.example',
    );
    expect(problems).to.deep.equal([]);
    await context.close();
    await tt.close();
  });

  it('shows a knowledge-base article full of <script>, <img onerror> and javascript: links as text (real server)', async () => {
    const kb = tempDir('deflect-hostile-kb-');
    cpSync(join(FIXTURE_KB, 'network'), join(kb.dir, 'network'), { recursive: true });
    writeFileSync(join(kb.dir, 'hostile-en.md'), HOSTILE_ARTICLE);
    const server = await startTestServer({ kbDir: kb.dir });
    const host = await startHostSite(server.url, { '/': hostPage(server.url) });
    try {
      const { page, problems, context } = await openPage(browser);
      await page.goto(host.url + '/');
      await openWidget(page);
      await askWidget(page, 'how do I break the help widget');
      await page.locator('.d-card').waitFor();
      expect(await page.locator('.d-card-title').innerText()).to.contain("<script>window.__pwned='title'</script>");
      const body = await page.locator('.d-card-body').innerText();
      expect(body).to.contain("<script>window.__pwned = 'answer'</script>");
      expect(body).to.contain('<img src=x onerror=');
      const found = await page.evaluate(() => {
        const root = document.querySelector('deflect-widget')!.shadowRoot!;
        return {
          pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
          dangerous: root.querySelectorAll('script, img:not(.d-logo), iframe, svg:not(.d-icon), [onerror], [onload]')
            .length,
          hrefs: Array.from(root.querySelectorAll('.d-card a')).map((a) => a.getAttribute('href')),
        };
      });
      expect(found.pwned).to.equal(null);
      expect(found.dangerous).to.equal(0);
      for (const href of found.hrefs) expect(href).to.match(/^https?:/);
      await page.locator('.d-card-body').getByText('click me').click();
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null)).to.equal(null);
      expect(problems).to.deep.equal([]);
      await screenshot(page, 'hostile-article');
      await context.close();
    } finally {
      await host.close();
      await server.close();
      kb.cleanup();
    }
  });
});
