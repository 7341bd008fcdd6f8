import http from 'node:http';
import type { Express } from 'express';

/**
 * The HTTP server of an Express app, whose requests and responses are made
 * with the app's own prototypes from the start.
 *
 * Express gives every request and response its prototypes afterwards
 * (`Object.setPrototypeOf` in `app.handle`). V8 then no longer finds the
 * properties Node's `http` code reads and writes on them in its inline
 * caches: 22 % of the main thread's samples in a served ask (engine
 * aside, bench/servedWithoutEngine.ts under perf) were V8's cache-miss
 * handlers, called from Node's `http` code, Express's router and
 * body-parser. Made as subclasses of Node's own, whose prototypes are the
 * ones Express would set, the objects keep one shape from birth, and
 * Express's `setPrototypeOf` changes nothing (2 % in the same profile).
 *
 * The objects are what Express would make of them: the same prototype chain
 * (the app's `request`/`response` with `app` on it, then Express's, then
 * Node's), so `instanceof` and every method are unchanged.
 */
export function createHttpServer(app: Express): http.Server {
  class AppRequest extends http.IncomingMessage {}
  class AppResponse<Request extends http.IncomingMessage> extends http.ServerResponse<Request> {}
  app.request = bornWith(AppRequest.prototype, app.request, app);
  app.response = bornWith(AppResponse.prototype, app.response, app);
  return http.createServer({ IncomingMessage: AppRequest, ServerResponse: AppResponse }, app);
}

/** `prototype`, made to stand in for Express's `appPrototype`: what it inherits from, and its `app`. */
function bornWith<T extends object>(prototype: object, appPrototype: T, app: Express): T {
  Object.setPrototypeOf(prototype, Object.getPrototypeOf(appPrototype));
  Object.defineProperty(prototype, 'app', { configurable: true, enumerable: true, writable: true, value: app });
  return prototype as T;
}
