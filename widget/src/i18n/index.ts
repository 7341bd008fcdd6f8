import type { Lang } from '../../../core/contracts/api.ts';
import { en, enLauncher } from './en.ts';
import { es, esLauncher } from './es.ts';
import type { LauncherStrings, Strings } from './strings.ts';

/**
 * Picks the widget language: the explicit option, else the page's `lang`,
 * else the browser's languages; anything we do not speak falls back to English.
 */
export function resolveLang(
  option: string | undefined,
  pageLang: string | undefined,
  browser: readonly string[],
): Lang {
  for (const candidate of [option, pageLang, ...browser]) {
    const lang = toLang(candidate);
    if (lang) return lang;
  }
  return 'en';
}

/** The launcher's strings for a language (kept apart so widget.js stays small). */
export function launcherStrings(lang: Lang): LauncherStrings {
  return lang === 'es' ? esLauncher : enLauncher;
}

/** The conversation panel's strings for a language. */
export function stringsFor(lang: Lang): Strings {
  return lang === 'es' ? es : en;
}

function toLang(tag: string | undefined): Lang | undefined {
  const base = (tag || '').trim().toLowerCase().split(/[-_]/)[0];
  return base === 'es' || base === 'en' ? base : undefined;
}
