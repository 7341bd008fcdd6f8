import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import * as i18n from '../../dashboard/src/i18n/index.ts';
import type { Entry } from '../../dashboard/src/i18n/en.ts';
import { hbarChart, lineChart } from '../../server/presenters/charts.ts';
import { CHART_STRINGS, chartLocale } from '../../server/presenters/chartStrings.ts';

const DASHBOARD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dashboard');
const forms = (entry: Entry) => (typeof entry === 'string' ? [entry] : Object.values(entry));
const placeholders = (entry: Entry) => [...new Set(forms(entry).flatMap((f) => f.match(/\{\w+\}/g) ?? []))].sort();

describe('dashboard strings: the page', () => {
  it('has the same keys in every language, none empty, with the same placeholders', () => {
    const { en, es } = i18n.STRINGS;
    expect(Object.keys(es).sort()).to.deep.equal(Object.keys(en).sort());
    for (const [key, entry] of Object.entries(en) as Array<[keyof typeof en, Entry]>) {
      expect(typeof es[key], key).to.equal(typeof entry);
      expect(placeholders(es[key]), key).to.deep.equal(placeholders(entry));
    }
    for (const table of [en, es]) {
      for (const [key, entry] of Object.entries(table)) {
        if (typeof entry !== 'string') expect(Object.keys(entry), key).to.include.members(['one', 'other']);
        for (const text of forms(entry)) expect(text, key).to.be.a('string').and.not.empty;
      }
    }
  });

  it('names only keys the tables have in reports.html', () => {
    const html = readFileSync(path.join(DASHBOARD, 'reports.html'), 'utf8');
    const keys = [...html.matchAll(/data-i18n(?:-alt|-label)?="([^"]+)"/g)].map((m) => m[1]!);
    expect(keys.length).to.be.greaterThan(30);
    for (const key of keys) expect(i18n.STRINGS.en, key).to.have.property(key);
  });

  const cases: Array<{ search: string; browser: string[]; expects: 'es' | 'en'; description: string }> = [
    { search: '?lang=es', browser: ['en-US'], expects: 'es', description: '?lang= wins over the browser' },
    { search: '?lang=en', browser: ['es-ES'], expects: 'en', description: '?lang=en wins over a Spanish browser' },
    {
      search: '?lang=fr',
      browser: ['es-MX', 'en'],
      expects: 'es',
      description: 'a ?lang= we do not speak falls through to the browser',
    },
    { search: '', browser: ['de-DE', 'es-419'], expects: 'es', description: "the browser's first language we speak" },
    { search: '', browser: ['de-DE'], expects: 'en', description: 'English when nothing matches' },
    {
      search: '?from=2026-01-01&lang=ES_es',
      browser: [],
      expects: 'es',
      description: 'tags are matched case-insensitively, with - or _',
    },
  ];
  for (const c of cases) {
    it(`language choice: ${c.description}`, () => {
      expect(i18n.resolveLang(c.search, c.browser)).to.equal(c.expects);
    });
  }

  it('fills placeholders, picks plural forms and formats with Intl for the language', () => {
    const en = i18n.localeFor('en');
    const es = i18n.localeFor('es');
    expect(en.t('whyTicket', { n: 1 })).to.equal('1 ticket');
    expect(en.t('whyTicket', { n: 2 })).to.equal('2 tickets');
    expect(es.t('whyTicket', { n: 2 })).to.equal('2 incidencias');
    expect(es.t('loadFailed', { error: '{n} <b>' })).to.equal('No se han podido cargar los informes: {n} <b>');
    expect(en.percent(0.3333)).to.equal('33.3%');
    expect(es.percent(0.3333)).to.equal('33,3\u00a0%');
    expect(en.day('2026-03-05')).to.equal('Mar 5, 2026');
    // ICU writes Spanish short months with or without a dot depending on its version.
    expect(es.day('2026-03-05')).to.match(/^5 mar\.? 2026$/);
  });

  describe('server errors, by their stable code (the server writes English)', () => {
    const cases: { error: i18n.ServerError | undefined; status?: string; en: string; es: string }[] = [
      {
        error: { code: 'unauthorized', message: 'A valid API key is required' },
        en: 'this key is not valid',
        es: 'esta clave no es válida',
      },
      {
        error: { code: 'forbidden', message: 'This key may not do that' },
        en: 'this key may not do that',
        es: 'esta clave no permite hacer eso',
      },
      {
        error: {
          code: 'forbidden',
          message: 'This needs the lead role; the key given has the agent role',
          details: { needs: 'lead', role: 'agent' },
        },
        en: 'this needs the lead role; this key has the agent role',
        es: 'hace falta el rol lead; esta clave tiene el rol agent',
      },
      {
        error: {
          code: 'invalid_request',
          message: 'from: must be before to',
          details: [{ field: 'from', message: 'must be before to' }],
        },
        en: 'the start must be before the end',
        es: 'el inicio debe ser anterior al final',
      },
      {
        error: {
          code: 'invalid_request',
          message: 'x',
          details: [
            { field: 'from', message: 'must be a date' },
            { field: 'to', message: 'must be a date' },
            { field: 'from', message: 'y' },
          ],
        },
        en: 'check from, to',
        es: 'revisa from, to',
      },
      { error: { code: 'invalid_request', message: 'Bad thing' }, en: 'Bad thing', es: 'Bad thing' },
      {
        error: {
          code: 'conflict',
          message: 'a draft for this gap already exists: kb-content/drafts/x.md',
          details: { file: 'kb-content/drafts/x.md' },
        },
        en: 'a draft for this gap already exists: kb-content/drafts/x.md',
        es: 'ya existe un borrador para esta laguna: kb-content/drafts/x.md',
      },
      {
        error: { code: 'rate_limited', message: 'Too many requests' },
        en: 'too many requests; try again in a minute',
        es: 'demasiadas solicitudes; vuelve a intentarlo dentro de un minuto',
      },
      {
        error: { code: 'unavailable', message: 'Index is rebuilding' },
        en: 'the service is unavailable right now; try again shortly',
        es: 'el servicio no está disponible ahora mismo; vuelve a intentarlo en breve',
      },
      {
        error: { code: 'internal', message: 'Internal error' },
        en: 'internal error on the server (its log has the details)',
        es: 'error interno del servidor (su registro tiene los detalles)',
      },
      {
        error: { code: 'something_new', message: 'Words from a newer server' },
        en: 'Words from a newer server',
        es: 'Words from a newer server',
      },
      { error: undefined, status: 'Bad Gateway', en: 'Bad Gateway', es: 'Bad Gateway' },
    ];
    for (const c of cases) {
      it(`${JSON.stringify(c.error ?? c.status)} → "${c.es}"`, () => {
        expect(i18n.errorText(i18n.localeFor('en'), c.error, c.status)).to.equal(c.en);
        expect(i18n.errorText(i18n.localeFor('es'), c.error, c.status)).to.equal(c.es);
      });
    }
  });
});

describe('dashboard strings: the charts', () => {
  it('has the same keys in every language, none empty', () => {
    expect(Object.keys(CHART_STRINGS.es).sort()).to.deep.equal(Object.keys(CHART_STRINGS.en).sort());
    for (const table of Object.values(CHART_STRINGS)) {
      for (const [key, text] of Object.entries(table)) expect(text, key).to.be.a('string').and.not.empty;
    }
  });

  it('draws numbers, dates, language names and "no data" in the chosen language', () => {
    const es = chartLocale('es');
    const line = lineChart({
      title: 'Tasa de desvío',
      labels: ['2026-03-05', '2026-03-06'],
      percent: true,
      series: [{ name: 'Autoservicio', values: [0.5, null], color: '#000' }],
      locale: es,
    });
    expect(line)
      .to.contain('>50\u00a0%</text>')
      .and.match(/>5 mar\.?<\/text>/);
    expect(line).to.match(/<title>5 mar\.? 2026: Autoservicio 50\u00a0%<\/title>/);
    expect(es.language('en')).to.equal('inglés');
    expect(es.key('(none)')).to.equal('(ninguno)');
    expect(hbarChart({ title: 'x', labels: [], series: [], locale: es })).to.contain(
      'No hay preguntas en este periodo',
    );
    expect(chartLocale('en').date('2026-03-05')).to.equal('Mar 5');
  });

  it('escapes hostile labels, series names and titles in every language', () => {
    for (const lang of ['en', 'es'] as const) {
      const svg = hbarChart({
        title: '<script>alert(1)</script>',
        labels: ['<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>'],
        series: [{ name: '</text><script>x</script>', values: [1, 2], color: '#000' }],
        locale: chartLocale(lang),
      });
      expect(svg).not.to.match(/<script|<img|<svg onload/i);
      expect(svg).to.contain('&lt;script&gt;');
    }
  });
});
