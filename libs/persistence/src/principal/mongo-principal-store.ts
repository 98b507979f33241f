import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type {
  AddSessionOptions,
  AppSession,
  AttributeChange,
  AuthorizationCode,
  EndCause,
  AttributeWrite,
  LoadedSession,
  PrincipalWithSessions,
  SsoSession,
} from '@tessera/core';
import { PrincipalStore, encodeAttributeKey } from '@tessera/core';
import { Model } from 'mongoose';
import type { PrincipalDocument } from './principal.document';
import {
  encodeNames,
  toPrincipalRecord,
  toSsoSession,
  toStoredAppSession,
  toStoredAuthorizationCode,
  toStoredEntry,
  toStoredSession,
} from './principal.mapper';
import { PRINCIPAL_MODEL } from './principal.schema';
import { WriteGuard } from '../write-guard/write-guard';

const DUPLICATE_KEY = 11000;

/**
 * PrincipalStore on MongoDB. Ids and session ids reaching this class come from parsed tokens
 * or from the domain's own generator (base64url only), so they are safe inside field paths;
 * attribute keys and claim names are always encoded first.
 */
@Injectable()
export class MongoPrincipalStore extends PrincipalStore implements OnModuleInit {
  constructor(
    @InjectModel(PRINCIPAL_MODEL) private readonly principals: Model<PrincipalDocument>,
    private readonly writeGuard: WriteGuard,
  ) {
    super();
  }

  /** The unique realm + subject index must exist before the first sign-in, or racing sign-ins could duplicate a principal. */
  async onModuleInit(): Promise<void> {
    await this.principals.init();
  }

  async findOrCreatePrincipal(input: {
    newId: string;
    realm: string;
    subject: string;
    now: number;
  }): Promise<PrincipalWithSessions> {
    const now = new Date(input.now);
    const upsert = () =>
      this.principals
        .findOneAndUpdate(
          { realm: input.realm, subject: input.subject },
          {
            $setOnInsert: {
              _id: input.newId,
              profile: {},
              profileRev: 0,
              rev: 0,
              createdAt: now,
              lastActivityAt: now,
              sessions: {},
            },
          },
          { upsert: true, new: true },
        )
        .lean<PrincipalDocument>()
        .exec();
    // Not guarded by a claim, and it need not be: on an existing principal `$setOnInsert`
    // changes nothing, and FerretDB writes a document back only when the update modified it
    // (its update code), so this can never overwrite a concurrent guarded write.
    let doc: PrincipalDocument;
    try {
      doc = await upsert();
    } catch (error) {
      // Two first sign-ins raced and the unique index refused the second insert: it exists now.
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      doc = await upsert();
    }
    return withSessions(doc);
  }

  async loadPrincipal(principalId: string): Promise<PrincipalWithSessions | undefined> {
    const doc = await this.principals.findById(principalId).lean<PrincipalDocument>().exec();
    return doc ? withSessions(doc) : undefined;
  }

  async endSessions(
    principalId: string,
    expectedRev: number,
    sessionIds: readonly string[],
    endedAt: number,
    cause: EndCause,
  ): Promise<boolean> {
    const { set, sweepAfter } = endedSessionFields(sessionIds, endedAt, cause);
    return this.compareAndSet(principalId, expectedRev, {
      $set: set,
      $inc: { rev: 1 },
      $min: { sweepAfter },
    });
  }

  async listDueForSweep(now: number, limit: number): Promise<string[]> {
    const docs = await this.principals
      .find({ sweepAfter: { $lte: new Date(now) } }, { _id: 1 })
      .sort({ sweepAfter: 1 })
      .limit(limit)
      .lean<Pick<PrincipalDocument, '_id'>[]>()
      .exec();
    return docs.map((doc) => doc._id);
  }

  async setSweepAfter(
    principalId: string,
    expectedRev: number,
    at: number | undefined,
  ): Promise<boolean> {
    // Bumps the revision like every compare-and-set, so a sign-in that lowered sweepAfter in
    // between makes this write fail instead of being overwritten with a later time.
    return this.compareAndSet(principalId, expectedRev, {
      ...(at === undefined
        ? { $unset: { sweepAfter: '' } }
        : { $set: { sweepAfter: new Date(at) } }),
      $inc: { rev: 1 },
    });
  }

  async removeSessions(
    principalId: string,
    expectedRev: number,
    sessionIds: readonly string[],
  ): Promise<boolean> {
    const unset = Object.fromEntries(sessionIds.map((sid) => [`sessions.${sid}`, '']));
    return this.compareAndSet(principalId, expectedRev, { $unset: unset, $inc: { rev: 1 } });
  }

  /** The caller saw no session at `expectedRev`; the revision check (and claim) keeps that true. */
  async deletePrincipalIfEmpty(principalId: string, expectedRev: number): Promise<boolean> {
    return this.writeGuard.guard(principalId, expectedRev, async () => {
      const result = await this.principals.deleteOne({ _id: principalId, rev: expectedRev }).exec();
      return result.deletedCount === 1;
    });
  }

  async loadSession(principalId: string, sessionId: string): Promise<LoadedSession | undefined> {
    const doc = await this.principals
      .findById(principalId, {
        realm: 1,
        subject: 1,
        profile: 1,
        profileRev: 1,
        rev: 1,
        [`sessions.${sessionId}`]: 1,
      })
      .lean<PrincipalDocument>()
      .exec();
    const stored = doc?.sessions?.[sessionId];
    if (!doc || !stored) return undefined;
    return { principal: toPrincipalRecord(doc), session: toSsoSession(stored) };
  }

  async addSession(
    principalId: string,
    expectedRev: number,
    session: SsoSession,
    options: AddSessionOptions = {},
  ): Promise<boolean> {
    const set: Record<string, unknown> = { [`sessions.${session.id}`]: toStoredSession(session) };
    const inc: Record<string, number> = { rev: 1 };
    let sweepAfter: Date | undefined =
      options.expiresAt === undefined ? undefined : new Date(options.expiresAt);
    if (options.profile) {
      set.profile = encodeNames(options.profile);
      inc.profileRev = 1;
    }
    if (options.end) {
      // The same fields endSessions writes, so an eviction is indistinguishable from any other end.
      const ended = endedSessionFields(
        options.end.sessionIds,
        options.end.endedAt,
        options.end.cause,
      );
      Object.assign(set, ended.set);
      sweepAfter = sweepAfter && sweepAfter < ended.sweepAfter ? sweepAfter : ended.sweepAfter;
    }
    return this.compareAndSet(principalId, expectedRev, {
      $set: set,
      $inc: inc,
      $max: { lastActivityAt: new Date(session.createdAt) },
      ...(sweepAfter ? { $min: { sweepAfter } } : {}),
    });
  }

  async addAppSession(
    principalId: string,
    sessionId: string,
    expectedRev: number,
    appSession: AppSession,
    at: number,
  ): Promise<boolean> {
    const session = `sessions.${sessionId}`;
    return this.compareAndSet(principalId, expectedRev, {
      $set: { [`${session}.apps.${appSession.handleId}`]: toStoredAppSession(appSession) },
      $inc: { rev: 1 },
      $max: { [`${session}.lastAccessAt`]: new Date(at), lastActivityAt: new Date(at) },
    });
  }

  async applyAttributeWrites(write: AttributeWrite): Promise<boolean> {
    const session = `sessions.${write.sessionId}`;
    const set: Record<string, unknown> = {
      [`${session}.sharedRev`]: write.sharedRev,
      [`${session}.privateRevs.${write.privateRev.clientId}`]: write.privateRev.rev,
    };
    const unset: Record<string, ''> = {};
    for (const change of write.changes) {
      const path = `${session}.${namespacePath(change)}.${encodeAttributeKey(change.key)}`;
      if (change.entry) set[path] = toStoredEntry(change.entry);
      else unset[path] = '';
    }
    const accessed = new Date(write.accessedAt);
    return this.compareAndSet(write.principalId, write.expectedRev, {
      $set: set,
      ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
      $inc: { rev: 1 },
      $max: { [`${session}.lastAccessAt`]: accessed, lastActivityAt: accessed },
    });
  }

  async addAuthorizationCode(
    principalId: string,
    sessionId: string,
    expectedRev: number,
    code: AuthorizationCode,
    forget: readonly string[],
  ): Promise<boolean> {
    const codes = `sessions.${sessionId}.codes`;
    const unset = Object.fromEntries(forget.map((id) => [`${codes}.${id}`, '']));
    return this.compareAndSet(principalId, expectedRev, {
      $set: { [`${codes}.${code.id}`]: toStoredAuthorizationCode(code) },
      ...(forget.length > 0 ? { $unset: unset } : {}),
      $inc: { rev: 1 },
    });
  }

  async redeemAuthorizationCode(
    principalId: string,
    sessionId: string,
    expectedRev: number,
    codeId: string,
    redeemedAt: number,
    appSession: AppSession,
  ): Promise<boolean> {
    const session = `sessions.${sessionId}`;
    const at = new Date(redeemedAt);
    return this.compareAndSet(principalId, expectedRev, {
      $set: {
        [`${session}.codes.${codeId}.redeemedAt`]: at,
        [`${session}.codes.${codeId}.appSessionHandle`]: appSession.handleId,
        [`${session}.apps.${appSession.handleId}`]: toStoredAppSession(appSession),
      },
      $inc: { rev: 1 },
      $max: { [`${session}.lastAccessAt`]: at, lastActivityAt: at },
    });
  }

  async removeAppSession(
    principalId: string,
    sessionId: string,
    expectedRev: number,
    handleId: string,
  ): Promise<boolean> {
    return this.compareAndSet(principalId, expectedRev, {
      $unset: { [`sessions.${sessionId}.apps.${handleId}`]: '' },
      $inc: { rev: 1 },
    });
  }

  async touchSession(
    principalId: string,
    sessionId: string,
    rev: number,
    at: number,
  ): Promise<void> {
    const session = `sessions.${sessionId}`;
    const when = new Date(at);
    const touch = async (filter: Record<string, unknown>) =>
      (
        await this.principals
          .updateOne(
            { _id: principalId, [`${session}.sid`]: sessionId, ...filter },
            { $max: { [`${session}.lastAccessAt`]: when, lastActivityAt: when } },
          )
          .exec()
      ).matchedCount === 1;
    // A touch changes no attributes, so on atomic servers it needs no revision check at all.
    if (this.writeGuard.updatesAreAtomic) await touch({});
    else await this.writeGuard.guard(principalId, rev, () => touch({ rev }), false);
  }

  private compareAndSet(
    principalId: string,
    expectedRev: number,
    update: Record<string, unknown>,
  ): Promise<boolean> {
    return this.writeGuard.guard(principalId, expectedRev, async () => {
      const result = await this.principals
        .updateOne({ _id: principalId, rev: expectedRev }, update)
        .exec();
      return result.matchedCount === 1;
    });
  }
}

/**
 * The fields that mark sessions ended. `sweepAfter` goes down to the end time: should the
 * completion not follow (a crash), the sweeper finds the principal and finishes it.
 */
function endedSessionFields(
  sessionIds: readonly string[],
  endedAt: number,
  cause: EndCause,
): { set: Record<string, unknown>; sweepAfter: Date } {
  const at = new Date(endedAt);
  const set: Record<string, unknown> = {};
  for (const sid of sessionIds) {
    set[`sessions.${sid}.endedAt`] = at;
    set[`sessions.${sid}.endCause`] = cause;
  }
  return { set, sweepAfter: at };
}

function withSessions(doc: PrincipalDocument): PrincipalWithSessions {
  const sessions = new Map<string, SsoSession>();
  for (const [sid, stored] of Object.entries(doc.sessions ?? {}))
    sessions.set(sid, toSsoSession(stored));
  return { principal: toPrincipalRecord(doc), sessions };
}

function namespacePath(change: AttributeChange): string {
  return change.scope === 'shared' ? 'shared' : `private.${change.owner}`;
}
