import { Router } from 'express';
import type { TesseraLogin } from '@tessera/sdk';

/**
 * Single logout: ends the SSO session at the service (every app's token for it stops working and
 * the other apps are told over the back channel), clears this app's cookie, then sends the browser
 * through the service's /logout back to the signed-out page. Mounted behind the CSRF guard, so
 * another site cannot sign the user out.
 */
export function logoutRoutes(login: TesseraLogin): Router {
  const router = Router();
  router.post('/logout', login.logout);
  return router;
}
