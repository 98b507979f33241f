import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AppChanges, AppListQuery, AppRecord, NewApp } from '@tessera/core';
import {
  AppAlreadyRegistered,
  AppChangeConflict,
  AppNotFound,
  AppStore,
  AppVersionMismatch,
} from '@tessera/core';
import { Model } from 'mongoose';
import { WriteGuard } from '../write-guard/write-guard';
import type { AppGenerationDocument } from './app-generation.schema';
import { APP_GENERATION_MODEL } from './app-generation.schema';
import { toAppDocument, toAppRecord, toAppUpdate } from './app.mapper';
import type { AppDocument } from './app.schema';
import { APP_MODEL } from './app.schema';
import { isDuplicateKey } from '../duplicate-key';

const GENERATION_ID = 'apps';
const MAX_CHANGE_ATTEMPTS = 20;
const MAX_PAGE = 1000;

/**
 * AppStore on MongoDB: one document per app, `_id` the client id, so a second registration of
 * an id, even by two instances at once, is refused by the unique `_id`. Changes are
 * compare-and-set on `version`, taken through the WriteGuard (claims keyed `app:<client id>`,
 * which no principal id can be), so they stay atomic on FerretDB too. Every change then moves
 * the generation document, after the app document, so an instance that sees the new
 * generation and reloads also sees the change. Filter values go through `$eq`.
 */
@Injectable()
export class MongoAppStore extends AppStore implements OnModuleInit {
  constructor(
    @InjectModel(APP_MODEL) private readonly apps: Model<AppDocument>,
    @InjectModel(APP_GENERATION_MODEL) private readonly generations: Model<AppGenerationDocument>,
    private readonly writeGuard: WriteGuard,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.apps.init();
  }

  async generation(): Promise<number> {
    const doc = await this.generations.findById(GENERATION_ID).lean<AppGenerationDocument>().exec();
    return doc?.generation ?? 0;
  }

  async loadAll(): Promise<AppRecord[]> {
    const docs = await this.apps.find({}).lean<AppDocument[]>().exec();
    return docs.map(toAppRecord);
  }

  async find(clientId: string): Promise<AppRecord | undefined> {
    const doc = await this.findDocument(clientId);
    return doc ? toAppRecord(doc) : undefined;
  }

  async list({ realm, after, limit }: AppListQuery): Promise<AppRecord[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}`);
    }
    const filter = {
      ...(realm === undefined ? {} : { realm: { $eq: realm } }),
      ...(after === undefined ? {} : { _id: { $gt: after } }),
    };
    const docs = await this.apps.find(filter).sort({ _id: 1 }).limit(limit).lean<AppDocument[]>();
    return docs.map(toAppRecord);
  }

  async register(app: NewApp, at: Date): Promise<AppRecord> {
    const doc = toAppDocument(app, at);
    try {
      await this.apps.create(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      throw new AppAlreadyRegistered(app.clientId);
    }
    await this.moveGeneration();
    return toAppRecord(doc);
  }

  async change(
    clientId: string,
    changes: AppChanges,
    expectedVersion: number | undefined,
    at: Date,
  ): Promise<AppRecord> {
    for (let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS; attempt++) {
      const doc = await this.findDocument(clientId);
      if (!doc) throw new AppNotFound(clientId);
      if (expectedVersion !== undefined && doc.version !== expectedVersion) {
        throw new AppVersionMismatch(doc.version);
      }
      const written = await this.writeGuard.guard(`app:${clientId}`, doc.version, async () => {
        const result = await this.apps
          .updateOne(
            { _id: { $eq: clientId }, version: { $eq: doc.version } },
            { ...toAppUpdate(changes, at), $inc: { version: 1 } },
          )
          .exec();
        return result.matchedCount === 1;
      });
      if (written) {
        await this.moveGeneration();
        return (await this.find(clientId))!;
      }
      // Another writer holds or moved this version: read again after a short pause.
      await new Promise((resolve) => setTimeout(resolve, 5 * (attempt + 1)));
    }
    throw new AppChangeConflict();
  }

  async insertMissing(apps: readonly NewApp[], at: Date): Promise<string[]> {
    const stored = await this.apps
      .find({ _id: { $in: apps.map((app) => app.clientId) } }, { _id: 1 })
      .lean<Pick<AppDocument, '_id'>[]>()
      .exec();
    const known = new Set(stored.map((doc) => doc._id));
    const inserted: string[] = [];
    for (const app of apps.filter((a) => !known.has(a.clientId))) {
      try {
        await this.apps.create(toAppDocument(app, at));
        inserted.push(app.clientId);
      } catch (error) {
        // Another instance seeding at the same moment inserted it first: theirs stands.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    if (inserted.length > 0) await this.moveGeneration();
    return inserted;
  }

  private findDocument(clientId: string): Promise<AppDocument | null> {
    return this.apps
      .findOne({ _id: { $eq: clientId } })
      .lean<AppDocument>()
      .exec();
  }

  /**
   * Readers only compare the generation for equality. On servers whose updates are not atomic
   * two increments may collapse into one, which is harmless: both changes were written before
   * either increment read the old value, so a reader that sees the new value loads both.
   */
  private async moveGeneration(): Promise<void> {
    const bump = () =>
      this.generations
        .updateOne({ _id: GENERATION_ID }, { $inc: { generation: 1 } }, { upsert: true })
        .exec();
    try {
      await bump();
    } catch (error) {
      // Two first-ever upserts raced to insert the document; the other one exists now.
      if (!isDuplicateKey(error)) throw error;
      await bump();
    }
  }
}
