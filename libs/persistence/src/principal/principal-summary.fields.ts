import type { PrincipalSummary } from '@tessera/core';
import type { StoredSessionApp } from './principal.document';

/** Longest lower-cased name kept for the prefix search; longer names are searched by their start. */
export const MAX_NAME_LOWER_LENGTH = 200;

export interface SummaryUpdate {
  readonly set: Record<string, unknown>;
  readonly unset: Record<string, ''>;
}

/** The `$set` and `$unset` that store a summary recomputed from all sessions. */
export function summaryUpdate(summary: PrincipalSummary): SummaryUpdate {
  const sessionApps: StoredSessionApp[] = summary.sessionApps.map((app) => ({
    s: app.sessionId,
    c: app.clientId,
  }));
  const set: Record<string, unknown> = { openSessions: summary.openSessions, sessionApps };
  if (summary.liveUntil === undefined) return { set, unset: { liveUntil: '' } };
  return { set: { ...set, liveUntil: new Date(summary.liveUntil) }, unset: {} };
}

/**
 * The display name as the prefix search compares it: lower-cased, so a case-insensitive search
 * is an anchored, case-sensitive prefix match that an index can answer.
 */
export function nameLowerOf(profile: Readonly<Record<string, string>>): string | undefined {
  const name = profile.name;
  return name ? name.toLowerCase().slice(0, MAX_NAME_LOWER_LENGTH) : undefined;
}

/** `$set` or `$unset` of `nameLower` for a new profile. */
export function nameUpdate(profile: Readonly<Record<string, string>>): SummaryUpdate {
  const nameLower = nameLowerOf(profile);
  return nameLower === undefined
    ? { set: {}, unset: { nameLower: '' } }
    : { set: { nameLower }, unset: {} };
}
