import type { RequestSession } from '@tessera/sdk';

/**
 * The shared attribute `cart`: a list of item names that every app of the realm reads and writes.
 * Values from the session are data another app wrote, so they are re-checked when read.
 */
export const CART_ATTRIBUTE = 'cart';
export const MAX_CART_ITEMS = 20;
export const MAX_ITEM_LENGTH = 40;

export function cartOf(session: RequestSession): string[] {
  const value = session.get(CART_ATTRIBUTE);
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string').slice(0, MAX_CART_ITEMS);
}

/** The item as it will be stored, or a message saying why it is refused. */
export function checkItem(raw: unknown): { item: string } | { problem: string } {
  if (typeof raw !== 'string') return { problem: 'Give the item a name.' };
  const item = raw.trim().replace(/\s+/g, ' ');
  if (item.length === 0) return { problem: 'Give the item a name.' };
  if (item.length > MAX_ITEM_LENGTH) {
    return { problem: `Item names have at most ${MAX_ITEM_LENGTH} characters.` };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(item)) return { problem: 'Item names are plain text.' };
  return { item };
}

export function addToCart(cart: readonly string[], item: string): string[] | undefined {
  return cart.length >= MAX_CART_ITEMS ? undefined : [...cart, item];
}
