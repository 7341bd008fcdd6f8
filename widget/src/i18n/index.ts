import type { Lang } from '../../../core/contracts/api.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import type { Strings } from './strings.ts';

const tables: Record<Lang, Strings> = { en, es };

/**
 * Picks the widget language: the explicit option, else the page's `lang`,
 * else the browser's languages; anything we do not speak falls back to English.
 */
export function resolveLang(option: string | undefined, pageLang: string | undefined, browser: readonly string[]): Lang {
  for (const candidate of [option, pageLang, ...browser]) {
    const lang = toLang(candidate);
    if (lang) return lang;
  }
  return 'en';
}

/** The string table for a language. */
export function stringsFor(lang: Lang): Strings {
  return tables[lang];
}

function toLang(tag: string | undefined): Lang | undefined {
  const base = (tag || '').trim().toLowerCase().split(/[-_]/)[0];
  return base === 'es' || base === 'en' ? base : undefined;
}
