import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { SigningKeyDocument } from './signing-key.schema';
import { SIGNING_KEY_MODEL } from './signing-key.schema';
import type { StoredSigningKey } from './signing-key-store';
import { SigningKeyStore } from './signing-key-store';
import { isDuplicateKey } from '../duplicate-key';

/**
 * Signing keys in MongoDB. Racing instances insert a slot's key under the same `_id`; the
 * unique `_id` keeps the first (an insert is atomic even on FerretDB), the rest read it back.
 */
@Injectable()
export class MongoSigningKeyStore extends SigningKeyStore {
  constructor(@InjectModel(SIGNING_KEY_MODEL) private readonly keys: Model<SigningKeyDocument>) {
    super();
  }

  async list(): Promise<StoredSigningKey[]> {
    const docs = await this.keys.find().sort({ activatesAt: 1 }).lean<SigningKeyDocument[]>();
    return docs.map(toStoredKey);
  }

  async insertOnce(key: StoredSigningKey): Promise<void> {
    try {
      await this.keys.create({
        _id: key.slot,
        kid: key.kid,
        publicJwk: key.publicJwk,
        privateJwk: key.privateJwk,
        createdAt: new Date(key.createdAt),
        activatesAt: new Date(key.activatesAt),
        ...(key.retiresAt === undefined ? {} : { retiresAt: new Date(key.retiresAt) }),
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async retireOlderThan(activatedBefore: number, retiresAt: number): Promise<void> {
    await this.keys.updateMany(
      { activatesAt: { $lt: new Date(activatedBefore) }, retiresAt: { $exists: false } },
      { $set: { retiresAt: new Date(retiresAt) } },
    );
  }

  async deleteRetired(now: number): Promise<void> {
    await this.keys.deleteMany({ retiresAt: { $lte: new Date(now) } });
  }
}

function toStoredKey(doc: SigningKeyDocument): StoredSigningKey {
  return {
    slot: doc._id,
    kid: doc.kid,
    publicJwk: doc.publicJwk,
    privateJwk: doc.privateJwk,
    createdAt: doc.createdAt.getTime(),
    activatesAt: doc.activatesAt.getTime(),
    ...(doc.retiresAt ? { retiresAt: doc.retiresAt.getTime() } : {}),
  };
}
