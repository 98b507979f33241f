import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { PrincipalDocument } from '../principal/principal.document';
import { PRINCIPAL_MODEL } from '../principal/principal.schema';
import { RevisionClaims } from './revision-claims';
import { WriteGuard } from './write-guard';

const SWEEP_EVERY_MS = 30_000;

/** Removes revision claims that their documents have moved past, every 30 s, when claims are in use. */
@Injectable()
export class ClaimSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ClaimSweeper');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly guard: WriteGuard,
    @InjectModel(PRINCIPAL_MODEL) private readonly principals: Model<PrincipalDocument>,
  ) {}

  onApplicationBootstrap(): void {
    if (!(this.guard instanceof RevisionClaims)) return;
    // unref: a pending sweep never keeps the process alive.
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One pass; answers how many claims went. Several instances may sweep at once safely. */
  async sweep(): Promise<number> {
    if (!(this.guard instanceof RevisionClaims)) return 0;
    try {
      return await this.guard.sweepPastClaims((ids) => this.currentRevs(ids));
    } catch (error) {
      this.logger.warn(`sweeping revision claims failed: ${(error as Error).message}`);
      return 0;
    }
  }

  private async currentRevs(principalIds: string[]): Promise<Map<string, number>> {
    const docs = await this.principals
      .find({ _id: { $in: principalIds } }, { rev: 1 })
      .lean<Pick<PrincipalDocument, '_id' | 'rev'>[]>()
      .exec();
    return new Map(docs.map((doc) => [doc._id, doc.rev]));
  }
}
