import { MAX_CART_ITEMS, addToCart, checkItem } from './cart';

describe('cart rules', () => {
  it('trims and collapses spaces in item names', () => {
    expect(checkItem('  blue   mug ')).toEqual({ item: 'blue mug' });
  });

  it.each([undefined, ['a'], '', '   ', 'x'.repeat(41), 'a\u0000b'])('refuses %j', (raw) => {
    expect(checkItem(raw)).toHaveProperty('problem');
  });

  it('keeps markup as text: escaping is the page’s job', () => {
    expect(checkItem('<b>book</b>')).toEqual({ item: '<b>book</b>' });
  });

  it('holds a bounded number of items', () => {
    const full = Array.from({ length: MAX_CART_ITEMS }, (_, i) => `item ${i}`);
    expect(addToCart(full, 'one more')).toBeUndefined();
    expect(addToCart(['a'], 'b')).toEqual(['a', 'b']);
  });
});
