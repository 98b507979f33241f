import { ConcurrentUpdateConflict } from '../errors';

/** Returned by an attempt whose compare-and-set lost to another writer. */
export const LOST_RACE = Symbol('lost-race');

/**
 * Runs a read-decide-write attempt until its compare-and-set succeeds. Each attempt rereads the
 * document, so a writer that lost a race merges onto the winner's result and nothing is lost.
 * A short random pause spreads writers that collided.
 */
export async function retryOptimistically<T>(
  maxAttempts: number,
  attempt: () => Promise<T | typeof LOST_RACE>,
): Promise<T> {
  for (let n = 1; n <= maxAttempts; n++) {
    const outcome = await attempt();
    if (outcome !== LOST_RACE) return outcome;
    if (n < maxAttempts) await pause(Math.random() * Math.min(2 * n, 20));
  }
  throw new ConcurrentUpdateConflict();
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
