import { expect } from 'chai';
import { en, enLauncher } from '../../widget/src/i18n/en.ts';
import { es, esLauncher } from '../../widget/src/i18n/es.ts';
import { resolveLang } from '../../widget/src/i18n/index.ts';
import { isSafeColor, themeCss } from '../../widget/src/loader/theme.ts';

describe('widget language choice', () => {
  const cases: Array<{ option?: string; page?: string; browser: string[]; expects: 'es' | 'en'; description: string }> =
    [
      { option: 'es', page: 'en', browser: ['en-US'], expects: 'es', description: 'the explicit option wins' },
      { page: 'es-ES', browser: ['en-US'], expects: 'es', description: "then the page's lang" },
      {
        page: 'fr',
        browser: ['es-MX', 'en'],
        expects: 'es',
        description: 'a page language we do not speak falls through to the browser',
      },
      { browser: ['de-DE', 'en-GB'], expects: 'en', description: "the browser's first language we speak" },
      { browser: ['de-DE'], expects: 'en', description: 'English when nothing matches' },
      { option: 'ES_es', browser: [], expects: 'es', description: 'tags are matched case-insensitively, with - or _' },
    ];
  for (const c of cases) {
    it(c.description, () => {
      expect(resolveLang(c.option, c.page, c.browser)).to.equal(c.expects);
    });
  }

  it('has the same keys in every language, none empty', () => {
    expect(Object.keys(es).sort()).to.deep.equal(Object.keys(en).sort());
    expect(Object.keys(esLauncher).sort()).to.deep.equal(Object.keys(enLauncher).sort());
    for (const table of [en, es, enLauncher, esLauncher]) {
      for (const [key, value] of Object.entries(table)) {
        const text = typeof value === 'function' ? value('T-1', 'a@b.c') : value;
        expect(text, key).to.be.a('string').and.not.empty;
      }
    }
  });
});

describe('widget theme', () => {
  it('uses white text on a dark accent and dark text on a light one (WCAG AA)', () => {
    expect(themeCss('#1f6f43')).to.contain('--deflect-accent-text,#ffffff');
    expect(themeCss('#ffd54f')).to.contain('--deflect-accent-text,#111827');
  });

  it('darkens a light accent for links on white', () => {
    const css = themeCss('#ffd54f');
    expect(css).to.not.contain('--deflect-accent-ink,#ffd54f');
  });

  it('refuses colour options that could inject CSS', () => {
    expect(isSafeColor('red;}:host{display:none')).to.equal(false);
    expect(isSafeColor('url(x)')).to.equal(false);
    expect(themeCss('red;}*{display:none}')).to.not.contain('display:none');
    expect(isSafeColor('rgb(10, 20, 30)')).to.equal(true);
  });
});
