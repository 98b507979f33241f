import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
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
  SessionTimeouts,
  SsoSession,
} from '@tessera/core';
import {
  PrincipalStore,
  encodeAttributeKey,
  expiryAfterAccess,
  expiryOf,
  summarizeSessions,
  withSessionsEnded,
  withSessionsRemoved,
} from '@tessera/core';
import { Model } from 'mongoose';
import type { PrincipalDocument } from './principal.document';
import { PRINCIPAL_SUMMARY_TIMEOUTS } from './principal-summary.timeouts';
import type { SummaryUpdate } from './principal-summary.fields';
import { nameUpdate, summaryUpdate } from './principal-summary.fields';
import {
  encodeNames,
  toPrincipalRecord,
  toPrincipalWithSessions,
  toSsoSession,
  toStoredAppSession,
  toStoredAuthorizationCode,
  toStoredEntry,
  toStoredSession,
} from './principal.mapper';
import { PRINCIPAL_MODEL } from './principal.schema';
import { WriteGuard } from '../write-guard/write-guard';
import { isDuplicateKey } from '../duplicate-key';

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
    @Inject(PRINCIPAL_SUMMARY_TIMEOUTS) private readonly timeouts: SessionTimeouts,
  ) {
    super();
  }

  /**
   * The unique realm + subject index must exist before the first sign-in, or racing sign-ins
   * could duplicate a principal. Documents from before the summary fields get them here.
   */
  async onModuleInit(): Promise<void> {
    await this.principals.init();
    await this.backfillSummaries();
  }

  /** Gives every document written before the summary fields existed its summary. */
  async backfillSummaries(): Promise<number> {
    const stale = await this.principals
      .find({ openSessions: { $exists: false } }, { _id: 1 })
      .lean<Pick<PrincipalDocument, '_id'>[]>()
      .exec();
    let filled = 0;
    for (const { _id } of stale) if (await this.refreshSummary(_id)) filled += 1;
    return filled;
  }

  /** Recomputes the summary of one principal from its sessions; false when it is gone. */
  async refreshSummary(principalId: string): Promise<boolean> {
    for (;;) {
      const doc = await this.principals.findById(principalId).lean<PrincipalDocument>().exec();
      if (!doc) return false;
      const stored = toPrincipalWithSessions(doc);
      const summary = this.summaryOf(stored);
      const { principal } = stored;
      const name = nameUpdate(principal.profile);
      const update = {
        $set: { ...summary.set, ...name.set },
        ...unsetOf({ ...summary.unset, ...name.unset }),
        $inc: { rev: 1 },
      };
      if (await this.compareAndSet(principalId, doc.rev, update, stored)) return true;
    }
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
              openSessions: 0,
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
      if (!isDuplicateKey(error)) throw error;
      doc = await upsert();
    }
    return toPrincipalWithSessions(doc);
  }

  async findPrincipalId(realm: string, subject: string): Promise<string | undefined> {
    const doc = await this.principals
      .findOne({ realm: { $eq: realm }, subject: { $eq: subject } }, { _id: 1 })
      .lean<Pick<PrincipalDocument, '_id'>>()
      .exec();
    return doc?._id;
  }

  async loadPrincipal(principalId: string): Promise<PrincipalWithSessions | undefined> {
    const doc = await this.principals.findById(principalId).lean<PrincipalDocument>().exec();
    return doc ? toPrincipalWithSessions(doc) : undefined;
  }

  async endSessions(
    loaded: PrincipalWithSessions,
    sessionIds: readonly string[],
    endedAt: number,
    cause: EndCause,
  ): Promise<PrincipalWithSessions | undefined> {
    const after = withSessionsEnded(loaded, sessionIds, endedAt, cause);
    const summary = this.summaryOf(after);
    const { set, sweepAfter } = endedSessionFields(sessionIds, endedAt, cause);
    const written = await this.compareAndSet(
      loaded.principal.id,
      loaded.principal.rev,
      {
        $set: { ...set, ...summary.set },
        ...unsetOf(summary.unset),
        $inc: { rev: 1 },
        $min: { sweepAfter },
      },
      loaded,
    );
    return written ? after : undefined;
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
    loaded: PrincipalWithSessions,
    sessionIds: readonly string[],
  ): Promise<PrincipalWithSessions | undefined> {
    const after = withSessionsRemoved(loaded, sessionIds);
    const summary = this.summaryOf(after);
    const unset = Object.fromEntries(sessionIds.map((sid) => [`sessions.${sid}`, '']));
    const written = await this.compareAndSet(
      loaded.principal.id,
      loaded.principal.rev,
      { $set: summary.set, $unset: { ...unset, ...summary.unset }, $inc: { rev: 1 } },
      loaded,
    );
    return written ? after : undefined;
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
    const unset: Record<string, ''> = {};
    const inc: Record<string, number> = { rev: 1 };
    const max: Record<string, Date> = { lastActivityAt: new Date(session.createdAt) };
    let sweepAfter: Date | undefined =
      options.expiresAt === undefined ? undefined : new Date(options.expiresAt);
    if (options.profile) {
      set.profile = encodeNames(options.profile);
      inc.profileRev = 1;
      const name = nameUpdate(options.profile);
      Object.assign(set, name.set);
      Object.assign(unset, name.unset);
    }
    // The sessions the summary was computed from, when this write computes one.
    let basis: PrincipalWithSessions | undefined;
    if (options.end) {
      const end = options.end;
      // Evictions shrink the summary: recompute it from the sessions as this write leaves them.
      const after = await this.summaryAfter(principalId, expectedRev, (stored) =>
        withSessionsEnded(
          { ...stored, sessions: new Map(stored.sessions).set(session.id, session) },
          end.sessionIds,
          end.endedAt,
          end.cause,
        ),
      );
      if (!after) return false;
      basis = after.basis;
      Object.assign(set, after.summary.set);
      Object.assign(unset, after.summary.unset);
      // The same fields endSessions writes, so an eviction is indistinguishable from any other end.
      const ended = endedSessionFields(end.sessionIds, end.endedAt, end.cause);
      Object.assign(set, ended.set);
      sweepAfter = sweepAfter && sweepAfter < ended.sweepAfter ? sweepAfter : ended.sweepAfter;
    } else {
      // A new session expires last of all its principal's, so without evictions the summary only grows.
      inc.openSessions = 1;
      max.liveUntil = new Date(expiryOf(session, this.timeouts).expiresAt);
    }
    return this.compareAndSet(
      principalId,
      expectedRev,
      {
        $set: set,
        ...unsetOf(unset),
        $inc: inc,
        $max: max,
        ...(sweepAfter ? { $min: { sweepAfter } } : {}),
      },
      basis,
    );
  }

  async addAppSession(
    principalId: string,
    sessionId: string,
    expectedRev: number,
    appSession: AppSession,
    at: number,
    sessionCreatedAt?: number,
  ): Promise<boolean> {
    const session = `sessions.${sessionId}`;
    return this.compareAndSet(principalId, expectedRev, {
      $set: { [`${session}.apps.${appSession.handleId}`]: toStoredAppSession(appSession) },
      $inc: { rev: 1 },
      $max: this.accessed(sessionId, at, sessionCreatedAt),
      $addToSet: { sessionApps: { s: sessionId, c: appSession.clientId } },
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
    return this.compareAndSet(write.principalId, write.expectedRev, {
      $set: set,
      ...unsetOf(unset),
      $inc: { rev: 1 },
      $max: this.accessed(write.sessionId, write.accessedAt, write.sessionCreatedAt),
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
    sessionCreatedAt?: number,
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
      $max: this.accessed(sessionId, redeemedAt, sessionCreatedAt),
      $addToSet: { sessionApps: { s: sessionId, c: appSession.clientId } },
    });
  }

  async removeAppSession(
    principalId: string,
    sessionId: string,
    expectedRev: number,
    handleId: string,
  ): Promise<boolean> {
    const after = await this.summaryAfter(principalId, expectedRev, (stored) => {
      const session = stored.sessions.get(sessionId);
      if (!session) return stored;
      const appSessions = new Map(session.appSessions);
      appSessions.delete(handleId);
      return {
        ...stored,
        sessions: new Map(stored.sessions).set(sessionId, { ...session, appSessions }),
      };
    });
    if (!after) return false;
    const { summary, basis } = after;
    return this.compareAndSet(
      principalId,
      expectedRev,
      {
        $set: summary.set,
        $unset: { [`sessions.${sessionId}.apps.${handleId}`]: '', ...summary.unset },
        $inc: { rev: 1 },
      },
      basis,
    );
  }

  async touchSession(
    principalId: string,
    sessionId: string,
    rev: number,
    at: number,
    sessionCreatedAt?: number,
  ): Promise<void> {
    const session = `sessions.${sessionId}`;
    // Never an ended session: its expiry must not raise the principal's `liveUntil` again.
    const open = { [`${session}.sid`]: sessionId, [`${session}.endedAt`]: { $exists: false } };
    const touch = async (filter: Record<string, unknown>) =>
      (
        await this.principals
          .updateOne(
            { _id: principalId, ...open, ...filter },
            { $max: this.accessed(sessionId, at, sessionCreatedAt) },
          )
          .exec()
      ).matchedCount === 1;
    // A touch changes no attributes, so on atomic servers it needs no revision check at all.
    if (this.writeGuard.updatesAreAtomic) await touch({});
    else await this.writeGuard.guard(principalId, rev, () => touch({ rev }), false);
  }

  /** The `$max` of an access: the session's and the principal's activity, and `liveUntil`. */
  private accessed(sessionId: string, at: number, sessionCreatedAt?: number) {
    const when = new Date(at);
    return {
      [`sessions.${sessionId}.lastAccessAt`]: when,
      lastActivityAt: when,
      liveUntil: new Date(expiryAfterAccess(at, this.timeouts, sessionCreatedAt)),
    };
  }

  /**
   * The summary of a principal as the caller's write leaves it, computed from the caller's own
   * copy (compareAndSet keeps it true: pass the copy as its `basis`), so nothing is read again.
   */
  private summaryOf(after: PrincipalWithSessions): SummaryUpdate {
    return summaryUpdate(summarizeSessions(after.sessions.values(), this.timeouts));
  }

  /**
   * The summary once `change` is applied to the sessions stored at `expectedRev`, for the writes
   * that can shrink it whose caller holds no copy of all sessions (evictions at sign-in, an app's
   * logout). Undefined when the document has moved past that revision, so the compare-and-set
   * would fail anyway.
   */
  private async summaryAfter(
    principalId: string,
    expectedRev: number,
    change: (stored: PrincipalWithSessions) => PrincipalWithSessions,
  ): Promise<{ summary: SummaryUpdate; basis: PrincipalWithSessions } | undefined> {
    const doc = await this.principals
      .findById(principalId, { rev: 1, sessions: 1 })
      .lean<PrincipalDocument>()
      .exec();
    if (!doc || doc.rev !== expectedRev) return undefined;
    const basis = toPrincipalWithSessions(doc);
    return { summary: this.summaryOf(change(basis)), basis };
  }

  /**
   * The update, if the document is still at `expectedRev`. A write that sets summary fields
   * computed from `basis` also needs every open session's last access to be as `basis` saw it:
   * a touch moves no revision but raises an access (and `liveUntil`), and the summary must not
   * undo it. Such a write then fails like any lost race, and the caller retries from a new read.
   */
  private compareAndSet(
    principalId: string,
    expectedRev: number,
    update: Record<string, unknown>,
    basis?: PrincipalWithSessions,
  ): Promise<boolean> {
    const accesses: Record<string, Date> = {};
    for (const session of basis?.sessions.values() ?? []) {
      if (session.endedAt === undefined) {
        accesses[`sessions.${session.id}.lastAccessAt`] = new Date(session.lastAccessAt);
      }
    }
    return this.writeGuard.guard(principalId, expectedRev, async () => {
      const result = await this.principals
        .updateOne({ _id: principalId, rev: expectedRev, ...accesses }, update)
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

/** `$unset` only when there is something to unset (an empty one is refused by some servers). */
function unsetOf(unset: Record<string, ''>): { $unset?: Record<string, ''> } {
  return Object.keys(unset).length > 0 ? { $unset: unset } : {};
}

function namespacePath(change: AttributeChange): string {
  return change.scope === 'shared' ? 'shared' : `private.${change.owner}`;
}
