import { checkOperationLimits, checkUsageLimits, usageOf } from '../attributes/attribute-limits';
import { assertValidOperation } from '../attributes/attribute-operation-check';
import type { AttributeOperation } from '../attributes/merge';
import { mergeOperations } from '../attributes/merge';
import type { RegisteredApp } from '../apps/registered-app';
import type { Clock } from '../clock';
import { VersionMismatch } from '../errors';
import type { PrincipalStore } from '../ports/principal-store';
import { isTouchDue } from '../session/expiry';
import type { SessionSettings } from '../session/session-settings';
import type { AppSessionView } from './app-session-view';
import { appSessionViewOf } from './app-session-view';
import { openAppSession } from './open-app-session';
import { LOST_RACE, retryOptimistically } from './optimistic-retry';

export interface WriteSessionAttributesCommand {
  readonly token: string;
  readonly app: RegisteredApp;
  readonly operations: readonly AttributeOperation[];
  /** With If-Match: the whole batch applies only if the app's view is still at one of these versions. */
  readonly expectedVersions?: readonly string[];
}

/**
 * Merges a batch of one app's writes and removals into the session, last-writer-wins per key.
 * Read, merge in memory, then compare-and-set the changed paths on the document revision; a
 * writer that lost the race rereads and merges again. Limits are checked before anything is
 * written, so a refused batch changes nothing.
 */
export class WriteSessionAttributes {
  constructor(
    private readonly store: PrincipalStore,
    private readonly clock: Clock,
    private readonly settings: SessionSettings,
  ) {}

  async execute(command: WriteSessionAttributesCommand): Promise<AppSessionView> {
    const { app, operations, token } = command;
    const { limits, timeouts } = this.settings;
    for (const op of operations) assertValidOperation(op);
    checkOperationLimits(operations, limits);

    return retryOptimistically(this.settings.maxWriteAttempts, async () => {
      const now = this.clock.now();
      const opened = await openAppSession(this.store, token, app, timeouts, now);
      const before = appSessionViewOf(opened, app, timeouts);
      if (command.expectedVersions && !command.expectedVersions.includes(before.version)) {
        throw new VersionMismatch(before.version);
      }
      const current = opened.session.attributes;
      const merged = mergeOperations(current, operations, {
        writer: app.clientId,
        policy: app.policy,
        now,
        maxClockSkewMs: this.settings.maxClockSkewMs,
        tombstoneRetentionMs: this.settings.tombstoneRetentionMs,
        maxTombstonesPerWriter: limits.maxKeysPerApp,
      });
      if (merged.changes.length === 0) {
        // A replay or a batch of writes that all lost: nothing to store.
        if (!isTouchDue(opened.session, timeouts, now)) return before;
        await this.store.touchSession(
          opened.principal.id,
          opened.session.id,
          opened.principal.rev,
          now,
          opened.session.createdAt,
        );
        return appSessionViewOf(opened, app, timeouts, { lastAccessAt: now });
      }
      checkUsageLimits(
        usageOf(current, app.clientId),
        usageOf(merged.attributes, app.clientId),
        limits,
      );

      const stored = await this.store.applyAttributeWrites({
        principalId: opened.principal.id,
        sessionId: opened.session.id,
        expectedRev: opened.principal.rev,
        changes: merged.changes,
        sharedRev: merged.attributes.sharedRev,
        privateRev: {
          clientId: app.clientId,
          rev: merged.attributes.privateRevs.get(app.clientId) ?? 0,
        },
        accessedAt: now,
        sessionCreatedAt: opened.session.createdAt,
      });
      if (!stored) return LOST_RACE;
      return appSessionViewOf(opened, app, timeouts, {
        attributes: merged.attributes,
        lastAccessAt: Math.max(now, opened.session.lastAccessAt),
      });
    });
  }
}
