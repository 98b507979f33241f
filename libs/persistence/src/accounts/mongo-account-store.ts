import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AccountPage, LocalAccount } from '@tessera/core';
import { AccountAlreadyExists, AccountStore } from '@tessera/core';
import { Model } from 'mongoose';
import { toAccountDocument, toAccountSummary, toLocalAccount } from './account.mapper';
import type { AccountDocument } from './account.schema';
import { ACCOUNT_MODEL } from './account.schema';

const DUPLICATE_KEY = 11000;
const MAX_PAGE = 1000;

/**
 * AccountStore on MongoDB. Every filter value goes through `$eq`, so a value that is not a
 * plain string can never act as a query operator.
 */
@Injectable()
export class MongoAccountStore extends AccountStore implements OnModuleInit {
  constructor(@InjectModel(ACCOUNT_MODEL) private readonly accounts: Model<AccountDocument>) {
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
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      throw new AccountAlreadyExists(account.realm, account.username);
    }
  }

  async setPasswordHash(accountId: string, passwordHash: string): Promise<boolean> {
    const result = await this.accounts
      .updateOne({ _id: { $eq: accountId } }, { $set: { passwordHash } })
      .exec();
    return result.matchedCount === 1;
  }

  async setDisabled(accountId: string, disabled: boolean): Promise<boolean> {
    const result = await this.accounts
      .updateOne({ _id: { $eq: accountId } }, { $set: { disabled } })
      .exec();
    return result.matchedCount === 1;
  }

  async listAccounts(
    realm: string,
    page: { readonly after?: string; readonly limit: number },
  ): Promise<AccountPage> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}`);
    }
    const filter =
      page.after === undefined
        ? { realm: { $eq: realm } }
        : { realm: { $eq: realm }, username: { $gt: page.after } };
    // One more than asked tells whether a next page exists, without a count.
    const docs = await this.accounts
      .find(filter, { passwordHash: 0 })
      .sort({ username: 1 })
      .limit(page.limit + 1)
      .lean<Omit<AccountDocument, 'passwordHash'>[]>()
      .exec();
    const accounts = docs.slice(0, page.limit).map(toAccountSummary);
    return docs.length > page.limit
      ? { accounts, next: accounts[accounts.length - 1].username }
      : { accounts };
  }
}
