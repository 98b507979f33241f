import type { Connection } from 'mongoose';
import { chooseWriteGuard } from '../write-guard/choose-write-guard';
import type { WriteClaimsMode } from '../write-guard/choose-write-guard';
import { REVISION_CLAIM_MODEL, RevisionClaimSchema } from '../write-guard/revision-claim.schema';
import { ACCOUNT_MODEL, AccountSchema } from './account.schema';
import { MongoAccountStore } from './mongo-account-store';

/** The same lease as PersistenceModule's default. */
const CLAIM_LEASE_MS = 5000;

/** The account store on a bare connection, for command-line tools that run without Nest. */
export async function accountStoreOn(
  connection: Connection,
  writeClaims: WriteClaimsMode = 'auto',
): Promise<MongoAccountStore> {
  const claims = connection.model(REVISION_CLAIM_MODEL, RevisionClaimSchema);
  const guard = await chooseWriteGuard(writeClaims, connection, claims, CLAIM_LEASE_MS);
  const store = new MongoAccountStore(connection.model(ACCOUNT_MODEL, AccountSchema), guard);
  await store.onModuleInit();
  return store;
}
