import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { LogoutNotification } from '@tessera/core';
import { LogoutOutbox } from '@tessera/core';
import type { Model } from 'mongoose';
import type { OutboxEntryDocument } from './outbox-entry.schema';
import { OUTBOX_ENTRY_MODEL } from './outbox-entry.schema';

const DUPLICATE_KEY = 11000;

/** The outbox in the `logout_outbox` collection. */
@Injectable()
export class MongoLogoutOutbox extends LogoutOutbox implements OnModuleInit {
  constructor(
    @InjectModel(OUTBOX_ENTRY_MODEL) private readonly entries: Model<OutboxEntryDocument>,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.entries.init();
  }

  /** One insert per notification; an id already there (a repeated completion) is left alone. */
  async record(notifications: readonly LogoutNotification[]): Promise<void> {
    for (const n of notifications) {
      try {
        await this.entries.create({
          _id: n.id,
          realm: n.realm,
          clientId: n.clientId,
          backchannelLogoutUri: n.backchannelLogoutUri,
          sessionId: n.sessionId,
          subject: n.subject,
          cause: n.cause,
          createdAt: new Date(n.createdAt),
          deadline: new Date(n.deadline),
          state: 'pending',
          attempts: 0,
          nextAttemptAt: new Date(n.createdAt),
          version: 0,
        });
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      }
    }
  }
}
