import { TemporarilyUnavailable } from '@tessera/core';

/**
 * Bounds how much slow work (argon2: 64 MiB and a core per run) runs at once, and how much may
 * wait. Past both bounds a request is refused at once (503), so a flood of junk credentials
 * cannot exhaust the service's memory; verified clients are served from the cache meanwhile.
 */
export class SlowWorkGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxWaiting: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.maxRunning) {
      this.running++;
    } else if (this.waiting.length < this.maxWaiting) {
      // The slot is handed over by a finishing run, so `running` stays the same.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      throw new TemporarilyUnavailable(
        'the service is busy checking credentials; retry in a moment',
      );
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
