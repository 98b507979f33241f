import { TemporarilyUnavailable } from '@tessera/core';
import { SlowWorkGate } from './slow-work-gate';

describe('SlowWorkGate', () => {
  it('runs at most maxRunning at once, queues up to maxWaiting, and refuses the rest at once', async () => {
    const gate = new SlowWorkGate(2, 3);
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const work = () =>
      gate.run(
        () =>
          new Promise<string>((resolve) => {
            most = Math.max(most, ++running);
            release.push(() => {
              running--;
              resolve('done');
            });
          }),
      );
    const accepted = Array.from({ length: 5 }, work);
    await expect(work()).rejects.toBeInstanceOf(TemporarilyUnavailable);
    while (release.length > 0 || running > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    expect(await Promise.all(accepted)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(most).toBe(2);
  });

  it('frees the slot when the work fails', async () => {
    const gate = new SlowWorkGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});
