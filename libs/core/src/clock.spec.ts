import { ManualClock, systemClock } from './clock';
import { cryptoRandom, randomId } from './random';

describe('ManualClock', () => {
  it('starts at 2030-01-01T00:00:00Z unless told otherwise', () => {
    expect(new ManualClock().now()).toBe(Date.UTC(2030, 0, 1));
    expect(new ManualClock(42).now()).toBe(42);
  });

  it('stands still until advanced or set', () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    clock.advance(-50);
    expect(clock.now()).toBe(1_200);
    clock.set(5);
    expect(clock.now()).toBe(5);
  });
});

describe('systemClock', () => {
  it('reads the wall clock in epoch milliseconds', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe('randomId', () => {
  it('encodes the requested number of random bytes as unpadded base64url', () => {
    const fixed = { bytes: (size: number) => Buffer.alloc(size, 0xfb) };
    expect(randomId(fixed, 3)).toBe('-_v7');
    const id = randomId(cryptoRandom, 16);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });
});
