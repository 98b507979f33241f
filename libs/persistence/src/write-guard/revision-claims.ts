import type { Model } from 'mongoose';
import type { RevisionClaimDocument } from './revision-claim.schema';
import { WriteGuard } from './write-guard';

const DUPLICATE_KEY = 11000;
/** Takeovers of abandoned claims on one revision before giving up (each needs a dead writer). */
const MAX_GENERATIONS = 8;

/**
 * Write guard for servers without atomic conditional updates (FerretDB 1.x). A writer that read
 * revision r inserts the claim `<principal>:<r>:0`; a unique `_id` insert is atomic everywhere,
 * so exactly one writer holds revision r and its compare-and-set cannot race another. After the
 * write, claims on revisions up to r are deleted: the document has moved past them, so a late
 * writer that claims one finds its compare-and-set refused and rereads.
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

  async guard(principalId: string, rev: number, write: () => Promise<boolean>): Promise<boolean> {
    if (!(await this.claim(principalId, rev))) return false;
    try {
      return await write();
    } finally {
      await this.claims.deleteMany({ principalId, rev: { $lte: rev } }).exec();
    }
  }

  private async claim(principalId: string, rev: number): Promise<boolean> {
    for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
      const _id = `${principalId}:${rev}:${generation}`;
      try {
        await this.claims.create({
          _id,
          principalId,
          rev,
          generation,
          claimedAt: new Date(this.now()),
        });
        return true;
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      }
      const held = await this.claims.findById(_id).lean<RevisionClaimDocument>().exec();
      // Gone means its writer finished, so the document has moved on; fresh means it is at work.
      if (!held || this.now() - held.claimedAt.getTime() < this.leaseMs) return false;
    }
    return false;
  }
}
