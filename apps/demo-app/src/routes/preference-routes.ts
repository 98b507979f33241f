import { Router } from 'express';
import type { DemoConfig } from '../demo-config';
import { sessionOf } from '../respond';
import { THEME_ATTRIBUTE, isTheme } from '../theme';
import { renderHome } from './home-routes';

/** This app's private preferences. */
export function preferenceRoutes(config: DemoConfig): Router {
  const router = Router();
  router.post('/preferences/theme', (req, res) => {
    const theme = (req.body as Record<string, unknown>).theme;
    if (!isTheme(theme)) return renderHome(config, req, res, 422, 'Choose light or dark.');
    sessionOf(req).set(THEME_ATTRIBUTE, theme);
    res.redirect(303, '/');
  });
  return router;
}
