import type { Connection, Model } from 'mongoose';
import type { RevisionClaimDocument } from './revision-claim.schema';
import { RevisionClaims } from './revision-claims';
import type { WriteGuard } from './write-guard';
import { AtomicUpdates } from './write-guard';

/** `auto` takes claims on servers that say they are FerretDB; `on` and `off` force the choice. */
export type WriteClaimsMode = 'auto' | 'on' | 'off';

export async function chooseWriteGuard(
  mode: WriteClaimsMode,
  connection: Connection,
  claims: Model<RevisionClaimDocument>,
  leaseMs: number,
): Promise<WriteGuard> {
  const useClaims = mode === 'on' || (mode === 'auto' && (await isFerretDb(connection)));
  if (!useClaims) return new AtomicUpdates();
  await claims.init(); // its index must exist before the first claim
  return new RevisionClaims(claims, leaseMs);
}

async function isFerretDb(connection: Connection): Promise<boolean> {
  await connection.asPromise();
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string';
}
