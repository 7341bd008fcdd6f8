import type { Lang } from '../../core/contracts/api.ts';

/**
 * Every text the dashboard's SVG charts draw, one table per language with the
 * same keys. The charts are drawn on the server, so these live here; the
 * page's own strings are in server/public/reports.{en,es}.js.
 */
export interface ChartStrings {
  trendTitle: string;
  volumeTitle: string;
  tagsTitle: string;
  langsTitle: string;
  articlesTitle: string;
  selfServed: string;
  confirmedOnly: string;
  questions: string;
  tickets: string;
  shown: string;
  helped: string;
  notHelpful: string;
  noData: string;
  /** The reports' `(none)` key: no article, or an article without tags. */
  none: string;
}

const en: ChartStrings = {
  trendTitle: 'Deflection rate',
  volumeTitle: 'Questions and tickets',
  tagsTitle: 'Questions by tag',
  langsTitle: 'Questions by language',
  articlesTitle: 'Top articles',
  selfServed: 'Self-served',
  confirmedOnly: 'Confirmed only',
  questions: 'Questions',
  tickets: 'Tickets',
  shown: 'Shown',
  helped: 'Helped',
  notHelpful: 'Not helpful',
  noData: 'No questions in this period',
  none: '(none)',
};

const es: ChartStrings = {
  trendTitle: 'Tasa de desvío',
  volumeTitle: 'Preguntas e incidencias',
  tagsTitle: 'Preguntas por etiqueta',
  langsTitle: 'Preguntas por idioma',
  articlesTitle: 'Artículos más mostrados',
  selfServed: 'Autoservicio',
  confirmedOnly: 'Solo confirmadas',
  questions: 'Preguntas',
  tickets: 'Incidencias',
  shown: 'Mostrado',
  helped: 'Ayudó',
  notHelpful: 'No ayudó',
  noData: 'No hay preguntas en este periodo',
  none: '(ninguno)',
};

/** The key core/reports gives a group without a value. */
const NONE = '(none)';

/** The chart tables by language (exported for the test that keeps them in step). */
export const CHART_STRINGS: Readonly<Record<Lang, ChartStrings>> = { en, es };

/** How the charts write text, numbers and dates in one language. */
export interface ChartLocale {
  text: ChartStrings;
  percent(v: number): string;
  number(v: number): string;
  /** A YYYY-MM-DD period key, short for an axis ("5 Mar") or in full for a tooltip. */
  date(key: string, long?: boolean): string;
  /** A group key as shown: the reports' `(none)` key translated, others unchanged. */
  key(k: string): string;
  /** A language code as its name in this language ("es" → "Spanish"). */
  language(code: string): string;
}

/** A ChartLocale for a language, its formats from Intl. */
export function chartLocale(lang: Lang): ChartLocale {
  const text = CHART_STRINGS[lang];
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  // Period keys are UTC days, so they are formatted in UTC or a day could shift.
  const short = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const names = new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' });
  const key = (k: string) => (k === NONE ? text.none : k);
  return {
    text,
    percent: (v) => percent.format(v),
    number: (v) => number.format(v),
    date: (k, full) => (/^\d{4}-\d{2}-\d{2}$/.test(k) ? (full ? long : short).format(Date.parse(`${k}T00:00:00Z`)) : k),
    key,
    language: (code) => (/^[a-z]{2,3}$/.test(code) ? (names.of(code) ?? code) : key(code)),
  };
}
