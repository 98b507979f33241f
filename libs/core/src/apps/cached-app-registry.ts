import { performance } from 'node:perf_hooks';
import { AppRegistry } from '../ports/app-registry';
import type { AppStore } from '../ports/app-store';
import type { AppRecord } from './app-record';

export interface CachedAppRegistryOptions {
  /** A change made anywhere is seen by every lookup that starts at least this long after it. */
  readonly refreshMs: number;
  /** Realms of the realms file; an app of any other realm is treated as unknown. */
  readonly knownRealms: ReadonlySet<string>;
}

/**
 * The apps as the hot path reads them: all of them in memory, reloaded when the store's
 * generation moves. The generation is read at most once per `refreshMs` (one small read by
 * `_id`, shared by the lookups waiting for it), so a change made on any instance reaches this
 * one within that bound, with no change streams and no restart.
 */
export class CachedAppRegistry extends AppRegistry {
  private apps = new Map<string, AppRecord>();
  private loadedGeneration: number | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;
  /** Moves on invalidate(), so a check that began before a local change cannot count as fresh. */
  private epoch = 0;

  constructor(
    private readonly store: AppStore,
    private readonly options: CachedAppRegistryOptions,
    /** Monotonic milliseconds; not the domain clock, which tests may freeze. */
    private readonly now: () => number = () => performance.now(),
  ) {
    super();
  }

  async findByClientId(clientId: string): Promise<AppRecord | undefined> {
    await this.fresh();
    return this.apps.get(clientId);
  }

  /** After this instance changed an app: its next lookup rereads, whatever the bound. */
  invalidate(): void {
    this.epoch++;
    this.checkedAt = Number.NEGATIVE_INFINITY;
    this.pending = undefined;
  }

  private fresh(): Promise<void> {
    if (this.now() - this.checkedAt < this.options.refreshMs) return Promise.resolve();
    if (!this.pending) {
      const check = this.check().finally(() => {
        if (this.pending === check) this.pending = undefined;
      });
      this.pending = check;
    }
    return this.pending;
  }

  private async check(): Promise<void> {
    const epoch = this.epoch;
    // The time the check began: a change made after it is only guaranteed to the next check.
    const startedAt = this.now();
    const generation = await this.store.generation();
    const loaded = generation === this.loadedGeneration ? undefined : await this.store.loadAll();
    if (epoch !== this.epoch) return; // invalidated meanwhile: a newer check decides
    if (loaded) {
      this.apps = new Map(
        loaded
          .filter((app) => this.options.knownRealms.has(app.realm))
          .map((app) => [app.clientId, app]),
      );
      this.loadedGeneration = generation;
    }
    this.checkedAt = startedAt;
  }
}
