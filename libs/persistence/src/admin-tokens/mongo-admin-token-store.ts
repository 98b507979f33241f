import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AdminToken, AdminTokenKey, AdminTokenPage, StoredAdminToken } from '@tessera/core';
import { AdminTokenStore } from '@tessera/core';
import { Model } from 'mongoose';
import { toAdminToken, toAdminTokenDocument, toStoredAdminToken } from './admin-token.mapper';
import type { AdminTokenDocument } from './admin-token.schema';
import { ADMIN_TOKEN_MODEL } from './admin-token.schema';
import { isDuplicateKey } from '../duplicate-key';

const MAX_PAGE = 1000;

/** AdminTokenStore on MongoDB; every filter value goes through `$eq`. */
@Injectable()
export class MongoAdminTokenStore extends AdminTokenStore implements OnModuleInit {
  constructor(@InjectModel(ADMIN_TOKEN_MODEL) private readonly tokens: Model<AdminTokenDocument>) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.tokens.init();
  }

  async insertIfAbsent(token: StoredAdminToken): Promise<boolean> {
    try {
      await this.tokens.create(toAdminTokenDocument(token));
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return false;
    }
  }

  async findById(id: string): Promise<StoredAdminToken | undefined> {
    const doc = await this.tokens
      .findOne({ _id: { $eq: id } })
      .lean<AdminTokenDocument>()
      .exec();
    return doc ? toStoredAdminToken(doc) : undefined;
  }

  async revoke(id: string, at: number): Promise<AdminToken | undefined> {
    // Only an unrevoked token changes, so the first revocation time stays.
    await this.tokens
      .updateOne(
        { _id: { $eq: id }, revokedAt: { $exists: false } },
        { $set: { revokedAt: new Date(at) } },
      )
      .exec();
    const doc = await this.tokens
      .findOne({ _id: { $eq: id } }, { validatorHash: 0 })
      .lean<AdminTokenDocument>()
      .exec();
    return doc ? toAdminToken(doc) : undefined;
  }

  async recordUse(id: string, at: number, notAfter: number): Promise<void> {
    await this.tokens
      .updateOne(
        {
          _id: { $eq: id },
          $or: [{ lastUsedAt: { $exists: false } }, { lastUsedAt: { $lte: new Date(notAfter) } }],
        },
        { $set: { lastUsedAt: new Date(at) } },
      )
      .exec();
  }

  async list(page: {
    readonly after?: AdminTokenKey;
    readonly limit: number;
  }): Promise<AdminTokenPage> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}`);
    }
    const after = page.after;
    const filter = after
      ? {
          $or: [
            { createdAt: { $lt: new Date(after.createdAt) } },
            { createdAt: { $eq: new Date(after.createdAt) }, _id: { $lt: after.id } },
          ],
        }
      : {};
    const docs = await this.tokens
      .find(filter, { validatorHash: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(page.limit + 1)
      .lean<Omit<AdminTokenDocument, 'validatorHash'>[]>()
      .exec();
    const tokens = docs.slice(0, page.limit).map(toAdminToken);
    const last = tokens[tokens.length - 1];
    return docs.length > page.limit
      ? { tokens, next: { createdAt: last.createdAt, id: last.id } }
      : { tokens };
  }
}
