import express, { type Express } from 'express';
import cors from 'cors';
import type { HelmetOptions } from 'helmet';
import type { Config } from '../core/config/index.ts';
import type { CoreServices } from '../core/services.ts';
import { notFound, onError, requireJson } from './errors.ts';
import { articleRoutes } from './routes/articles.ts';
import { askRoutes } from './routes/ask.ts';
import { generateRoutes } from './routes/generate.ts';
import { healthRoutes } from './routes/health.ts';
import { messagesRoutes } from './routes/messages.ts';
import { adminRoutes } from './routes/admin.ts';
import { pageRoutes } from './routes/pages.ts';
import { searchRoutes } from './routes/search.ts';
import { ticketRoutes } from './routes/tickets.ts';
import { rateLimits } from './rateLimits.ts';
import { securityHeaders } from './securityHeaders.ts';
import { whatsappRoutes } from './routes/whatsapp.ts';
import { satisfactionPageRoutes } from './routes/satisfactionPage.ts';
import { solvedPageRoutes } from './routes/solvedPage.ts';

/** helmet's settings: the security headers of every response (set once per request by securityHeaders). */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      frameAncestors: ["'self'"],
      formAction: ["'self'"],
    },
  },
  // The widget script and its API are meant to be used from other sites.
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};

export interface AppDeps {
  core: CoreServices;
  config: Config;
  /** Extra routers mounted before the 404 handler (tests use this). */
  extraRoutes?: express.Router[];
}

/** The HTTP app, without listen(), so tests can drive it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders(HELMET_OPTIONS));
  const origins = deps.config.corsOrigins;
  app.use(
    '/api',
    cors({
      origin: origins === '*' ? '*' : origins,
      methods: ['GET', 'POST', 'PATCH'],
      // X-Deflect-User(-Hash): a verified widget user listing their tickets (GET /api/my/tickets).
      // Idempotency-Key: a ticket creation retried from the browser (POST /api/tickets).
      allowedHeaders: ['Content-Type', 'Authorization', 'X-Deflect-User', 'X-Deflect-User-Hash', 'Idempotency-Key'],
      maxAge: 600,
    }),
  );
  const limits = rateLimits(deps.config.security.rateLimits, deps.core.redis);
  const jsonBody = [requireJson, express.json({ limit: deps.config.maxBodyBytes, strict: true })];
  // The widget's asks and feedback first, the busiest routes: each runs the steps the app's chain below would give
  // it (the JSON body, then its rate limits) without passing the routers and layers that cannot match it (Express's
  // router was ~12 % of a served ask's main thread outside the engine, bench/servedWithoutEngine.ts). Any other
  // method or path under them goes on through that chain as before, and is counted by the same limiters.
  app.use(askRoutes(deps.core, deps.config.security, [...jsonBody, ...limits.ask]));
  // Before the /api JSON parser: Bot Framework activities can exceed MAX_BODY_BYTES, so the bot route parses its own body.
  app.use(messagesRoutes(deps.core, deps.config, limits.bot(!!deps.config.bot.appId)));
  // Also before it: WhatsApp's signature is over the raw body. No route at all unless WHATSAPP_* is set.
  app.use(whatsappRoutes(deps.core, deps.config));
  app.use('/api', ...jsonBody);

  app.use(['/api/ask', '/api/feedback'], limits.ask);
  app.post('/api/tickets', limits.tickets);
  app.use(['/api/my', '/follow'], limits.ask);

  app.use(healthRoutes(deps.core));
  // Off by default (GENERATIVE_FALLBACK): without it there is no /api/generate at all.
  if (deps.core.generative) app.use(generateRoutes(deps.core));
  app.use(ticketRoutes(deps.core, deps.config));
  app.use(satisfactionPageRoutes(deps.core, deps.config));
  app.use(solvedPageRoutes(deps.core, deps.config));
  app.use(searchRoutes(deps.core));
  app.use(articleRoutes(deps.core));
  app.use(adminRoutes(deps.core, deps.config));
  for (const r of deps.extraRoutes ?? []) app.use(r);
  app.use(pageRoutes());

  app.use(notFound);
  app.use(onError);
  return app;
}
