import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
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
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { CONTRAST_SCRIPT } from './contrast.ts';

/** Class names of the focused element, looking through the widget's shadow root. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return 'body';
    return [el.id && '#' + el.id, el.className || el.tagName.toLowerCase()].filter(Boolean).join(' ');
  });
}

/** Presses Tab until `predicate` holds for the focused element, at most `max` times. */
async function tabTo(page: Page, match: RegExp, max = 15): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (match.test(await focused(page))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}; it is on ${await focused(page)}`);
}

describe('widget accessibility', function () {
  this.timeout(60000);
  let browser: Browser;
  let api: TestServer;
  let site: HostSite;

  before(async () => {
    browser = await launchChromium();
    api = await startTestServer();
    site = await startHostSite(api.url, { '/': hostPage(api.url) });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await api?.close();
  });

  it('can be used with the keyboard only: open, ask, answer "No", pick a suggestion, open a ticket, close', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await page.locator('.d-launcher').waitFor();
    await tabTo(page, /d-launcher/);
    await page.keyboard.press('Enter');
    await page.locator('.d-input').waitFor();
    expect(await focused(page)).to.contain('d-input');

    await page.keyboard.type('how do I set up the VPN?');
    await page.keyboard.press('Enter');
    await page.locator('.d-card').waitFor();
    await page.keyboard.press('Shift+Tab');
    expect(
      await page.evaluate(() => document.querySelector('deflect-widget')!.shadowRoot!.activeElement!.textContent),
    ).to.equal('No');
    await page.keyboard.press('Enter');
    await page.locator('.d-choice').first().waitFor();
    expect(await focused(page), 'focus moves to the first suggestion').to.contain('d-choice');
    await screenshot(page, 'keyboard-suggestions');
    await page.keyboard.press('Enter');
    await page.locator('.d-card').nth(1).waitFor();
    expect(await focused(page)).to.contain('d-input');

    await tabTo(page, /d-human/);
    await page.keyboard.press('Enter');
    expect(
      await page.evaluate(() =>
        document.querySelector('deflect-widget')!.shadowRoot!.activeElement!.getAttribute('type'),
      ),
    ).to.equal('email');
    await page.keyboard.type('ana@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Ana García');
    await tabTo(page, /d-primary/);
    await page.keyboard.press('Enter');
    await page.locator('.d-success').waitFor();

    // Focus stays inside the open panel however long one tabs, both ways.
    for (const key of ['Tab', 'Shift+Tab']) {
      for (let i = 0; i < 14; i++) {
        await page.keyboard.press(key);
        const inside = await page.evaluate(() => {
          const root = document.querySelector('deflect-widget')!.shadowRoot!;
          return document.activeElement === root.host && !!root.activeElement?.closest('.d-panel');
        });
        expect(inside, `${key} #${i} left the panel`).to.equal(true);
      }
    }
    await page.keyboard.press('Escape');
    await page.locator('.d-panel').waitFor({ state: 'hidden' });
    expect(await focused(page), 'focus returns to the launcher').to.contain('d-launcher');
    expect(await page.locator('.d-launcher').getAttribute('aria-expanded')).to.equal('false');
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('returns focus to the page control that opened it', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await page.locator('.d-launcher').waitFor();
    await page.locator('#page-button').focus();
    await page.evaluate(() => window.Deflect!.open());
    await page.locator('.d-input').waitFor();
    await page.waitForFunction(() =>
      document.querySelector('deflect-widget')?.shadowRoot?.activeElement?.classList.contains('d-input'),
    );
    await page.keyboard.press('Escape');
    expect(await focused(page)).to.contain('#page-button');
    await context.close();
  });

  it('closes the suggestion list with Escape before closing the panel, and moves through it with arrows', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await openWidget(page);
    await page.keyboard.type('password');
    await page.locator('.d-sugg-item').first().waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).to.contain('d-sugg-item');
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).to.contain('d-input');
    await page.keyboard.press('Escape');
    expect(await page.locator('.d-sugg').isVisible()).to.equal(false);
    expect(await page.locator('.d-panel').isVisible()).to.equal(true);
    await context.close();
  });

  it('labels every control, announces messages in a live region, and is a labelled modal dialog', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await openWidget(page);
    await askWidget(page, 'I forgot my password');
    await page.locator('.d-card').waitFor();
    const report = await page.evaluate(() => {
      const root = document.querySelector('deflect-widget')!.shadowRoot!;
      const unlabelled = Array.from(root.querySelectorAll<HTMLElement>('button, input, textarea, a'))
        .filter((el) => {
          const labelled =
            el.getAttribute('aria-label') ||
            el.textContent!.trim() ||
            (el.id && root.querySelector(`label[for="${el.id}"]`));
          return !labelled;
        })
        .map((el) => el.outerHTML.slice(0, 80));
      const log = root.querySelector('.d-log')!;
      const dialog = root.querySelector('.d-panel')!;
      return {
        unlabelled,
        logRole: log.getAttribute('role'),
        live: log.getAttribute('aria-live'),
        modal: dialog.getAttribute('aria-modal'),
        title: root.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent,
        messages: log.querySelectorAll('.d-msg').length,
      };
    });
    expect(report.unlabelled).to.deep.equal([]);
    expect(report).to.include({ logRole: 'log', live: 'polite', modal: 'true', title: 'How can we help?' });
    expect(report.messages).to.equal(3);
    await context.close();
  });

  it('meets WCAG AA contrast for every piece of text', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await openWidget(page);
    await askWidget(page, 'I forgot my password');
    await page.locator('.d-card').waitFor();
    await page.locator('.d-input').fill('vpn');
    await page.locator('.d-sugg-item').first().waitFor();
    const failures = (await page.evaluate(CONTRAST_SCRIPT)) as string[];
    expect(failures).to.deep.equal([]);
    await context.close();
  });

  it('respects prefers-reduced-motion', async () => {
    const animation = async (reducedMotion: boolean) => {
      const { page, context } = await openPage(browser, { reducedMotion });
      await page.goto(site.url + '/');
      await openWidget(page);
      const name = await page.locator('.d-panel').evaluate((el) => getComputedStyle(el).animationName);
      await context.close();
      return name;
    };
    expect(await animation(false)).to.equal('d-in');
    expect(await animation(true)).to.equal('none');
  });

  it('fills a 360 px wide phone screen without horizontal scrolling', async () => {
    const { page, context } = await openPage(browser, { width: 360, height: 740 });
    await page.goto(site.url + '/');
    await screenshot(page, 'mobile-closed');
    await openWidget(page);
    await askWidget(page, 'I forgot my password');
    await page.locator('.d-card').waitFor();
    const box = await page.locator('.d-panel').boundingBox();
    expect(box).to.deep.equal({ x: 0, y: 0, width: 360, height: 740 });
    const overflow = await page.evaluate(() => {
      const root = document.querySelector('deflect-widget')!.shadowRoot!;
      return Array.from(root.querySelectorAll<HTMLElement>('.d-panel, .d-panel *'))
        .filter((el) => el.getBoundingClientRect().right > 360.5)
        .map((el) => el.className);
    });
    expect(overflow).to.deep.equal([]);
    await screenshot(page, 'mobile-answer');
    await page.locator('.d-human').click();
    await screenshot(page, 'mobile-ticket');
    await context.close();
  });
});
