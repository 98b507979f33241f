import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type {
  AccountChanges,
  AccountListQuery,
  AccountPage,
  AccountSummary,
  LocalAccount,
} from '@tessera/core';
import { AccountAlreadyExists, AccountStore, LOST_RACE, retryOptimistically } from '@tessera/core';
import type { FilterQuery } from 'mongoose';
import { Model } from 'mongoose';
import { WriteGuard } from '../write-guard/write-guard';
import { toAccountDocument, toAccountSummary, toLocalAccount } from './account.mapper';
import type { AccountDocument } from './account.schema';
import { ACCOUNT_MODEL } from './account.schema';
import { accountListFilter } from './account-list-filter';
import { isDuplicateKey } from '../duplicate-key';

const MAX_PAGE = 1000;
/** Administrators rarely change one account at once; this many collisions means a flood. */
const MAX_WRITE_ATTEMPTS = 10;

type StoredSummary = Omit<AccountDocument, 'passwordHash'>;

/**
 * AccountStore on MongoDB. Every filter value goes through `$eq` (or is escaped into an anchored
 * pattern), so a value that is not a plain string can never act as a query operator.
 */
@Injectable()
export class MongoAccountStore extends AccountStore implements OnModuleInit {
  constructor(
    @InjectModel(ACCOUNT_MODEL) private readonly accounts: Model<AccountDocument>,
    private readonly writeGuard: WriteGuard,
  ) {
    super();
  }

  /** The unique realm + username index must exist before the first account is created. */
  async onModuleInit(): Promise<void> {
    await this.accounts.init();
  }

  async findByUsername(realm: string, username: string): Promise<LocalAccount | undefined> {
    const doc = await this.accounts
      .findOne({ realm: { $eq: realm }, username: { $eq: username } })
      .lean<AccountDocument>()
      .exec();
    return doc ? toLocalAccount(doc) : undefined;
  }

  async createAccount(account: LocalAccount): Promise<void> {
    try {
      await this.accounts.create(toAccountDocument(account));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      throw new AccountAlreadyExists(account.realm, account.username);
    }
  }

  /**
   * Compare-and-set on `rev` under the write guard. A plain `$set` would be enough on MongoDB,
   * but FerretDB 1.x writes the whole document back, so a disable racing a password reset
   * could undo the disable there (docs/store-layout.md, "Write claims").
   */
  updateAccount(accountId: string, changes: AccountChanges): Promise<AccountSummary | undefined> {
    const fields: Partial<AccountDocument> = { updatedAt: new Date(changes.at) };
    if (changes.disabled !== undefined) fields.disabled = changes.disabled;
    if (changes.passwordHash !== undefined) {
      fields.passwordHash = changes.passwordHash;
      fields.passwordChangedAt = new Date(changes.at);
    }
    return retryOptimistically(MAX_WRITE_ATTEMPTS, async () => {
      const doc = await this.accounts
        .findOne({ _id: { $eq: accountId } }, { passwordHash: 0 })
        .lean<StoredSummary>()
        .exec();
      if (!doc) return undefined;
      const rev = doc.rev ?? 0;
      const written = await this.writeGuard.guard(claimKey(accountId), rev, async () => {
        const result = await this.accounts
          .updateOne(
            { _id: { $eq: accountId }, ...atRevision(rev) },
            { $set: { ...fields, rev: rev + 1 } },
          )
          .exec();
        return result.matchedCount === 1;
      });
      if (!written) return LOST_RACE;
      // toAccountSummary never reads passwordHash, so the new hash is not shown.
      return toAccountSummary({ ...doc, ...fields });
    });
  }

  async listAccounts(query: AccountListQuery): Promise<AccountPage> {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}`);
    }
    // One more than asked tells whether a next page exists, without a count.
    const docs = await this.accounts
      .find(accountListFilter(query), { passwordHash: 0 })
      .sort({ realm: 1, username: 1 })
      .limit(query.limit + 1)
      .lean<StoredSummary[]>()
      .exec();
    const accounts = docs.slice(0, query.limit).map(toAccountSummary);
    if (docs.length <= query.limit) return { accounts };
    const last = accounts[accounts.length - 1];
    return { accounts, next: { realm: last.realm, username: last.username } };
  }
}

/** Claims on accounts share `principal_claims` with other keys; the prefix keeps them apart. */
function claimKey(accountId: string): string {
  return `local-account:${accountId}`;
}

/** Accounts stored before `rev` existed are at revision 0. */
function atRevision(rev: number): FilterQuery<AccountDocument> {
  return rev === 0 ? { $or: [{ rev: { $eq: 0 } }, { rev: { $exists: false } }] } : { rev };
}
