import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's security headers, worked out once: helmet runs its fourteen
 * middlewares on every request and rebuilds the Content-Security-Policy
 * string each time, for headers that do not depend on the request here
 * (no nonce, no function among the directives). Its middleware runs once
 * against a recording response; each request then gets the recorded
 * headers, in helmet's order, and the same removals.
 */
export function securityHeaders(options: HelmetOptions): RequestHandler {
  const directives = (options.contentSecurityPolicy as { directives?: Record<string, unknown> } | undefined)
    ?.directives;
  if (directives && Object.values(directives).some((v) => Array.isArray(v) && v.some((x) => typeof x === 'function')))
    // A directive computed per request (a nonce) cannot be recorded: helmet itself then.
    return helmet(options);
  // Each call in helmet's order: [name, value] to set, [name] to remove.
  const calls: [string, string?][] = [];
  let outcome: { error?: unknown } | null = null;
  const recorder = {
    setHeader: (name: string, value: string) => calls.push([name, value]),
    removeHeader: (name: string) => calls.push([name]),
  };
  helmet(options)({} as never, recorder as never, (error?: unknown) => (outcome = { error }));
  if (!outcome) return helmet(options);
  if ((outcome as { error?: unknown }).error) throw (outcome as { error?: unknown }).error;
  return (_req, res, next) => {
    for (let i = 0; i < calls.length; i++) {
      const [name, value] = calls[i]!;
      if (value === undefined) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    next();
  };
}
