import type { AppChanges, AppRecord, NewApp } from '../apps/app-record';

export interface AppListQuery {
  /** Only apps of this realm. */
  readonly realm?: string;
  /** Keyset paging: only client ids after this one. */
  readonly after?: string;
  readonly limit: number;
}

/**
 * Where apps are kept (the database). Every change moves the generation, which each service
 * instance compares to know when its in-memory copy (CachedAppRegistry) must be reloaded.
 */
export abstract class AppStore {
  /** A number that changes whenever any app changes; 0 before the first app is stored. */
  abstract generation(): Promise<number>;
  abstract loadAll(): Promise<AppRecord[]>;
  abstract find(clientId: string): Promise<AppRecord | undefined>;
  /** Apps in client id order, at most `limit`. */
  abstract list(query: AppListQuery): Promise<AppRecord[]>;
  /** Stores a new app at version 1; AppAlreadyRegistered when the client id is taken. */
  abstract register(app: NewApp, at: Date): Promise<AppRecord>;
  /**
   * Applies `changes` and moves the version by one. With `expectedVersion`, refuses with
   * AppVersionMismatch unless the stored version is that one; AppNotFound for an unknown app.
   */
  abstract change(
    clientId: string,
    changes: AppChanges,
    expectedVersion: number | undefined,
    at: Date,
  ): Promise<AppRecord>;
  /** Inserts the apps whose client id is not stored yet, leaving stored ones as they are. Answers the ids inserted. */
  abstract insertMissing(apps: readonly NewApp[], at: Date): Promise<string[]>;
}
