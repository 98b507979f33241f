import { JtiMemory } from './jti-memory';

describe('JtiMemory', () => {
  it('remembers a key until its expiry, then takes it as new', () => {
    let now = 1000;
    const memory = new JtiMemory(10, () => now);
    expect(memory.remember('a', 2000)).toBe(true);
    expect(memory.remember('a', 2000)).toBe(false);
    now = 2000;
    expect(memory.remember('a', 3000)).toBe(true);
  });

  it('stays within its capacity, dropping the least recently seen first', () => {
    const memory = new JtiMemory(2, () => 0);
    memory.remember('a', 10);
    memory.remember('b', 10);
    memory.remember('a', 10); // seen again: now the most recent
    memory.remember('c', 10);
    expect(memory.size).toBe(2);
    expect(memory.remember('a', 10)).toBe(false);
    expect(memory.remember('b', 10)).toBe(true);
  });

  it('sweeps expired entries at the front', () => {
    let now = 0;
    const memory = new JtiMemory(10, () => now);
    memory.remember('a', 5);
    memory.remember('b', 5);
    now = 6;
    memory.remember('c', 50);
    expect(memory.size).toBe(1);
  });

  it('forgets on request', () => {
    const memory = new JtiMemory(10, () => 0);
    memory.remember('a', 10);
    memory.forget('a');
    expect(memory.remember('a', 10)).toBe(true);
  });
});
