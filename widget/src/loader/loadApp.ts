import { trustedPolicy } from '../shared/trusted.ts';
import type { MountApp } from '../shared/types.ts';

/** Event the app chunk fires with its mount function once it has run. */
export const APP_EVENT = 'deflect:app';

let cached: Promise<MountApp> | undefined;

/**
 * Loads the conversation UI on first use, as a classic script so it needs no
 * CORS headers and passes a CSP that allows the widget's origin. The chunk
 * hands its mount function over through a DOM event instead of a global.
 */
export function loadApp(src: string): Promise<MountApp> {
  if (cached) return cached;
  const attempt = new Promise<MountApp>((resolve, reject) => {
    const script = document.createElement('script');
    const onApp = (event: Event) => resolve((event as CustomEvent<MountApp>).detail);
    const done = () => {
      document.removeEventListener(APP_EVENT, onApp);
      script.remove();
    };
    document.addEventListener(APP_EVENT, onApp);
    script.async = true;
    const policy = trustedPolicy();
    script.src = (policy ? policy.createScriptURL(src) : src) as string;
    script.onload = () => {
      done();
      reject(new Error('Deflect: the widget app did not register'));
    };
    script.onerror = () => {
      done();
      reject(new Error('Deflect: could not load ' + src));
    };
    (document.head || document.documentElement).appendChild(script);
  });
  cached = attempt;
  // A failed load (offline, server down) must be retryable on the next click.
  attempt.catch(() => {
    if (cached === attempt) cached = undefined;
  });
  return attempt;
}
