/**
 * The script a host page loads first (widget.js): installs `window.Deflect`
 * and the launcher. The conversation UI is fetched on first use.
 */
import { createDeflect, type DeflectApi } from './api.ts';
import { readScriptOptions } from './options.ts';

declare const __APP_VERSION__: string;

declare global {
  interface Window {
    Deflect?: DeflectApi;
  }
}

// Pasting the snippet twice must not create a second widget.
if (!window.Deflect) {
  const script =
    (document.currentScript as HTMLScriptElement | null) ||
    document.querySelector<HTMLScriptElement>('script[data-deflect-url]');
  const deflect = createDeflect(readScriptOptions(script), __APP_VERSION__);
  window.Deflect = deflect;
  if (!script || script.dataset.autoload !== 'false') deflect.init();
  document.dispatchEvent(new CustomEvent('deflect:ready', { detail: deflect }));
}
