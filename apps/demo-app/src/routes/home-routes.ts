import type { Request, Response } from 'express';
import { Router } from 'express';
import { cartOf } from '../cart';
import { csrfTokenOf } from '../csrf';
import type { DemoConfig } from '../demo-config';
import { homePage } from '../pages/home-page';
import { sendPage } from '../respond';
import { sessionOf } from '../respond';
import { themeOf } from '../theme';

/** Renders the home page, with an optional problem from a refused form (then with its status). */
export function renderHome(
  config: DemoConfig,
  req: Request,
  res: Response,
  status = 200,
  problem?: string,
): void {
  const session = sessionOf(req);
  sendPage(
    res,
    status,
    homePage(config, {
      session,
      cart: cartOf(session),
      theme: themeOf(session),
      csrfToken: csrfTokenOf(session),
      problem,
    }),
  );
}

export function homeRoutes(config: DemoConfig): Router {
  const router = Router();
  router.get('/', (req, res) => renderHome(config, req, res));
  return router;
}
