import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ServiceSecrets } from '@tessera/core';
import type { Model } from 'mongoose';
import { randomBytes } from 'node:crypto';
import type { ServiceSecretDocument } from './service-secret.schema';
import { SERVICE_SECRET_MODEL } from './service-secret.schema';
import { isDuplicateKey } from '../duplicate-key';

/**
 * Secrets in the `service_secrets` collection. Instances racing to create one all insert with
 * the same `_id`; the unique index keeps the first, and the others read it back.
 */
@Injectable()
export class MongoServiceSecrets extends ServiceSecrets {
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(
    @InjectModel(SERVICE_SECRET_MODEL) private readonly secrets: Model<ServiceSecretDocument>,
  ) {
    super();
  }

  get(name: string): Promise<Buffer> {
    let secret = this.cache.get(name);
    if (!secret) {
      secret = this.load(name);
      this.cache.set(name, secret);
      secret.catch(() => this.cache.delete(name)); // retry on the next call
    }
    return secret;
  }

  private async load(name: string): Promise<Buffer> {
    const existing = await this.read(name);
    if (existing) return existing;
    try {
      await this.secrets.create({ _id: name, value: randomBytes(32), createdAt: new Date() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const created = await this.read(name);
    if (!created) throw new Error(`service secret ${name} vanished after it was created`);
    return created;
  }

  private async read(name: string): Promise<Buffer | undefined> {
    const doc = await this.secrets
      .findById(name)
      .lean<{ value: { buffer: Uint8Array } | Buffer }>()
      .exec();
    if (!doc) return undefined;
    // lean() gives the driver's Binary, whose bytes are in `buffer`.
    return Buffer.isBuffer(doc.value) ? doc.value : Buffer.from(doc.value.buffer);
  }
}
