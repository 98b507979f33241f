import type { Clock } from '../clock';
import type { EndCause } from '../logout/end-cause';
import type { PrincipalStore } from '../ports/principal-store';
import type { SessionSettings } from '../session/session-settings';
import type { PrincipalWithSessions } from '../session/sso-session';
import { expiryCauseOf, nextSweepAt } from '../session/sweep-schedule';
import type { CompleteEndedSessions } from './complete-ended-sessions';
import { LOST_RACE, retryOptimistically } from './optimistic-retry';

export interface SweepOutcome {
  /** Principals looked at (their `sweepAfter` had passed). */
  readonly principals: number;
  /** Sessions this run ended for expiry (ones another sweeper ended first are not counted). */
  readonly ended: number;
  /** Principals left for a later run because of an error; see `errors`. */
  readonly failed: number;
  readonly errors: readonly unknown[];
}

/**
 * One batch of the expiry sweeper: ends every session past its idle or absolute expiry through
 * the same two steps as any other end (mark, then CompleteEndedSessions: notifications, removal,
 * the empty document deleted), and finishes ends a crash left half done. Safe with several
 * instances at once: every write is a compare-and-set and completion is idempotent, so a
 * sweeper that loses a race rereads and finds nothing left to do.
 */
export class SweepExpiredSessions {
  constructor(
    private readonly store: PrincipalStore,
    private readonly complete: CompleteEndedSessions,
    private readonly clock: Clock,
    private readonly settings: SessionSettings,
  ) {}

  async execute(batchSize: number): Promise<SweepOutcome> {
    const due = await this.store.listDueForSweep(this.clock.now(), batchSize);
    let ended = 0;
    const errors: unknown[] = [];
    for (const principalId of due) {
      try {
        ended += await this.sweepPrincipal(principalId);
      } catch (error) {
        // One stuck principal must not hold up the batch; it stays due and is retried next run.
        errors.push(error);
      }
    }
    return { principals: due.length, ended, failed: errors.length, errors };
  }

  private async sweepPrincipal(principalId: string): Promise<number> {
    const { ended, known } = await this.endExpired(principalId);
    await this.complete.execute(principalId, known);
    await this.reschedule(principalId);
    return ended;
  }

  /**
   * Marks the expired sessions ended, one write per cause (endSessions takes one cause). Answers
   * how many, and the principal as the last read or write left it, for the completion to go on.
   */
  private endExpired(
    principalId: string,
  ): Promise<{ ended: number; known: PrincipalWithSessions | undefined }> {
    let ended = 0;
    return retryOptimistically(this.settings.maxWriteAttempts, async () => {
      const loaded = await this.store.loadPrincipal(principalId);
      if (!loaded) return { ended, known: undefined };
      const now = this.clock.now();
      const byCause = new Map<EndCause, string[]>();
      for (const session of loaded.sessions.values()) {
        const cause = expiryCauseOf(session, this.settings.timeouts, now);
        if (cause) byCause.set(cause, [...(byCause.get(cause) ?? []), session.id]);
      }
      let current = loaded;
      for (const [cause, sessionIds] of byCause) {
        const written = await this.store.endSessions(current, sessionIds, now, cause);
        if (!written) return LOST_RACE;
        current = written;
        ended += sessionIds.length;
      }
      return { ended, known: current };
    });
  }

  /**
   * Moves `sweepAfter` to the next true lower bound. An emptied document was deleted by the
   * completion; one that is empty for another reason (a sign-in that lost its race) goes here.
   */
  private reschedule(principalId: string): Promise<void> {
    return retryOptimistically(this.settings.maxWriteAttempts, async () => {
      const loaded = await this.store.loadPrincipal(principalId);
      if (!loaded) return undefined;
      const { principal, sessions } = loaded;
      const next = nextSweepAt(sessions.values(), this.settings.timeouts, this.clock.now());
      const written =
        next === undefined
          ? await this.store.deletePrincipalIfEmpty(principal.id, principal.rev)
          : await this.store.setSweepAfter(principal.id, principal.rev, next);
      return written ? undefined : LOST_RACE;
    });
  }
}
