import { Router } from 'express';
import type { DemoConfig } from '../demo-config';
import { signedOutPage } from '../pages/message-page';
import { sendPage } from '../respond';
import { STYLESHEET } from '../style';

/** What anonymous visitors may see: the stylesheet, a health check, the signed-out page. */
export function publicRoutes(config: DemoConfig): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok', app: config.name });
  });
  router.get('/style.css', (_req, res) => {
    res.set('content-type', 'text/css; charset=utf-8').set('cache-control', 'max-age=300');
    res.send(STYLESHEET);
  });
  router.get('/signed-out', (_req, res) => sendPage(res, 200, signedOutPage(config)));
  return router;
}
