import { launcherStrings, resolveLang } from '../i18n/index.ts';
import type { WidgetConfig, WidgetOptions } from '../shared/types.ts';

const DATA_KEYS = ['lang', 'color', 'position', 'label', 'title', 'greeting', 'logo'] as const;

/** Reads the options a host page put on the snippet's <script> tag as data-* attributes. */
export function readScriptOptions(script: HTMLScriptElement | null): WidgetOptions {
  const options: WidgetOptions = {};
  if (!script) return options;
  const data = script.dataset;
  options.url = data.deflectUrl || (script.src ? new URL('.', script.src).href : undefined);
  for (const key of DATA_KEYS) {
    const value = data[key];
    if (value) (options as Record<string, string>)[key] = value;
  }
  return options;
}

/** Applies defaults, picks the language and the launcher's strings, and normalises the server URL. */
export function resolveConfig(options: WidgetOptions): WidgetConfig {
  const lang = resolveLang(options.lang, document.documentElement.lang, navigator.languages || [navigator.language]);
  const launcher = launcherStrings(lang);
  return {
    base: new URL(options.url || '/', location.href).href.replace(/\/+$/, ''),
    lang,
    launcher,
    position: options.position === 'left' ? 'left' : 'right',
    title: options.title,
    greeting: options.greeting,
    label: options.label || launcher.launcher,
    logo: safeImageUrl(options.logo),
  };
}

/** Logos may be http(s) or data:image URLs; anything else (javascript:, …) is dropped. */
function safeImageUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, location.href);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
    if (/^data:image\/(png|gif|jpeg|webp);/i.test(value)) return value;
  } catch {
    /* not a URL */
  }
  return undefined;
}
