import type { Model } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';
import type { RevisionClaimDocument } from './revision-claim.schema';
import { WriteGuard } from './write-guard';

/** Takeovers of abandoned claims on one revision before giving up (each needs a dead writer). */
const MAX_GENERATIONS = 8;

/**
 * Write guard for servers without atomic conditional updates (FerretDB 1.x). A writer that read
 * revision r inserts the claim `<principal>:<r>:0`; a unique `_id` insert is atomic everywhere,
 * so exactly one writer holds revision r and its compare-and-set cannot race another.
 *
 * A successful write leaves its claim behind: the document has moved past r, so the claim can
 * only block writers that would fail their compare-and-set anyway, and `sweepPastClaims`
 * removes it later, off the request path. A write that fails releases its claim at once.
 *
 * A claim older than the lease belongs to a writer that died between claiming and writing;
 * the next writer takes over with the next generation (again an atomic insert), so a crash never
 * blocks a principal for longer than the lease.
 */
export class RevisionClaims extends WriteGuard {
  readonly updatesAreAtomic = false;

  constructor(
    private readonly claims: Model<RevisionClaimDocument>,
    private readonly leaseMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async guard(
    principalId: string,
    rev: number,
    write: () => Promise<boolean>,
    movesRevision = true,
  ): Promise<boolean> {
    const claim = await this.claim(principalId, rev);
    if (claim === undefined) return false;
    let written = false;
    try {
      // A writer that stalled while claiming might no longer hold it by the time it writes.
      if (!this.stillFresh(claim.claimedAt)) return false;
      written = await write();
      return written;
    } finally {
      // Unless the document moved past r, the claim must go now or it would block r for a lease.
      if (!(written && movesRevision)) await this.claims.deleteOne({ _id: claim.id }).exec();
    }
  }

  /**
   * Deletes claims on revisions that their principal's document has moved past (or that belong
   * to a deleted principal). Only such claims are deleted, so a live writer is never unblocked
   * early; deleting a claim that a late writer re-inserted on a past revision is harmless, as
   * its compare-and-set fails.
   */
  async sweepPastClaims(
    currentRevs: (principalIds: string[]) => Promise<Map<string, number>>,
    batch = 1000,
  ): Promise<number> {
    const old = await this.claims
      .find({ claimedAt: { $lt: new Date(this.now() - this.leaseMs) } }, { principalId: 1, rev: 1 })
      .limit(batch)
      .lean<Pick<RevisionClaimDocument, '_id' | 'principalId' | 'rev'>[]>()
      .exec();
    if (old.length === 0) return 0;
    const revs = await currentRevs([...new Set(old.map((c) => c.principalId))]);
    const past = old.filter((c) => c.rev < (revs.get(c.principalId) ?? Number.POSITIVE_INFINITY));
    if (past.length === 0) return 0;
    const { deletedCount } = await this.claims
      .deleteMany({ _id: { $in: past.map((c) => c._id) } })
      .exec();
    return deletedCount;
  }

  /**
   * A claim is only good for part of its lease: past that, a takeover may be near, so a write
   * must not start. What is left is the time one update takes, far below the lease.
   */
  private stillFresh(claimedAt: number): boolean {
    return this.now() - claimedAt < this.leaseMs / 2;
  }

  /** The claim, or undefined when another writer holds revision `rev`. */
  private async claim(principalId: string, rev: number): Promise<HeldClaim | undefined> {
    for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
      const claimedAt = this.now();
      const doc = claimDocument(principalId, rev, generation, claimedAt);
      try {
        await this.claims.create(doc);
        return { id: doc._id, claimedAt };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      if (!(await this.isAbandoned(doc._id))) return undefined;
    }
    return undefined;
  }

  /**
   * Whether a refused claim was left by a writer that died: older than the lease. Gone means
   * its writer failed and released it, fresh that a writer is at work; either way, not ours.
   */
  private async isAbandoned(claimId: string): Promise<boolean> {
    const held = await this.claims.findById(claimId).lean<RevisionClaimDocument>().exec();
    return held !== null && this.now() - held.claimedAt.getTime() >= this.leaseMs;
  }
}

interface HeldClaim {
  readonly id: string;
  readonly claimedAt: number;
}

function claimDocument(
  principalId: string,
  rev: number,
  generation: number,
  claimedAt: number,
): RevisionClaimDocument {
  return {
    _id: `${principalId}:${rev}:${generation}`,
    principalId,
    rev,
    generation,
    claimedAt: new Date(claimedAt),
  };
}
