import { Router } from 'express';
import type { TesseraLogin } from '@tessera/sdk';

/**
 * Local logout: forgets this app's session in this browser. Single logout (the redirect to the
 * service's /logout, which ends the session in every app) replaces the redirect below next.
 */
export function logoutRoutes(login: TesseraLogin): Router {
  const router = Router();
  router.post('/logout', (req, res) => {
    login.endAppSession(req, res);
    res.redirect(303, '/signed-out');
  });
  return router;
}
