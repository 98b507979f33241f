/**
 * Serialises the compare-and-set writes of one principal's document.
 *
 * MongoDB applies `updateOne({ _id, rev }, …)` atomically, so its guard does nothing.
 * FerretDB 1.x does not: it reads the matching document and writes it back in two steps, so two
 * concurrent updates can both match `rev` and the second overwrites the first. There the guard
 * first takes a claim on the revision (docs/store-layout.md, "Write claims").
 */
export abstract class WriteGuard {
  /**
   * Runs `write` while no other guarded writer can change the principal's document from
   * revision `rev`. Answers false, without running `write`, when another writer holds it.
   * `movesRevision` says whether a successful `write` increments the revision (a touch does not).
   */
  abstract guard(
    principalId: string,
    rev: number,
    write: () => Promise<boolean>,
    movesRevision?: boolean,
  ): Promise<boolean>;

  /** True when plain unguarded updates (such as the `$max` of a touch) are atomic on this server. */
  abstract readonly updatesAreAtomic: boolean;
}

/** For servers whose single-document conditional updates are atomic (MongoDB). */
export class AtomicUpdates extends WriteGuard {
  readonly updatesAreAtomic = true;

  guard(_principalId: string, _rev: number, write: () => Promise<boolean>): Promise<boolean> {
    return write();
  }
}
