import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PUBLIC = path.join(ROOT, 'server/public');
const WIDGET_DIST = path.join(ROOT, 'widget/dist');
const WIDGET_PAGES = path.join(ROOT, 'widget/pages');

/**
 * Static pages and assets: the demo site (the widget on a fictional shop, whose
 * buttons ask through the widget's public API), the widget bundle and its
 * playground, and the article page's stylesheet.
 */
export function pageRoutes(): Router {
  const router = Router();
  const widgetPage = (name: string) => (_req: express.Request, res: express.Response) =>
    res.sendFile(path.join(WIDGET_PAGES, name));
  router.get('/', widgetPage('index.html'));
  router.get('/widget/playground', widgetPage('playground.html'));
  router.get('/widget.js', (_req, res, next) => {
    const file = path.join(WIDGET_DIST, 'widget.js');
    if (!existsSync(file)) return next();
    res.set('Cache-Control', 'public, max-age=300');
    res.sendFile(file);
  });
  router.use('/widget/pages', express.static(WIDGET_PAGES, { index: false }));
  router.use('/widget', express.static(WIDGET_DIST, { index: false, maxAge: '5m' }));
  router.use('/assets', express.static(PUBLIC, { index: false }));
  return router;
}
