import { Router } from 'express';
import { CART_ATTRIBUTE, MAX_CART_ITEMS, addToCart, cartOf, checkItem } from '../cart';
import type { DemoConfig } from '../demo-config';
import { sessionOf } from '../respond';
import { renderHome } from './home-routes';

/** Changes to the shared cart; each answers with a redirect home (post/redirect/get). */
export function cartRoutes(config: DemoConfig): Router {
  const router = Router();

  router.post('/cart/items', (req, res) => {
    const session = sessionOf(req);
    const checked = checkItem((req.body as Record<string, unknown>).item);
    if ('problem' in checked) return renderHome(config, req, res, 422, checked.problem);
    const cart = addToCart(cartOf(session), checked.item);
    if (cart === undefined) {
      return renderHome(config, req, res, 422, `The cart holds at most ${MAX_CART_ITEMS} items.`);
    }
    session.set(CART_ATTRIBUTE, cart);
    res.redirect(303, '/');
  });

  router.post('/cart/empty', (req, res) => {
    // A removal is a timestamped write too: it wins over older additions from other apps.
    sessionOf(req).remove(CART_ATTRIBUTE);
    res.redirect(303, '/');
  });

  return router;
}
