import type { AttributeEntry } from '../attributes/attribute-entry';
import type { Clock } from '../clock';
import type { PrincipalStore } from '../ports/principal-store';
import type { SessionTimeouts } from '../session/expiry';
import { expiryOf, isSessionLive } from '../session/expiry';
import type { PrincipalRecord, SsoSession } from '../session/sso-session';
import { PrincipalNotFound, SessionNotFound } from './admin-session-errors';

export interface JoinedApp {
  readonly clientId: string;
  readonly joinedAt: number;
}

export interface SessionOverview {
  readonly sessionId: string;
  readonly createdAt: number;
  readonly lastActivityAt: number;
  readonly idleExpiresAt: number;
  readonly absoluteExpiresAt: number;
  /** Not ended and before both expiries. */
  readonly live: boolean;
  readonly endedAt?: number;
  readonly endCause?: string;
  readonly client: { readonly ip?: string; readonly userAgent?: string };
  /** One entry per app session (an app that signed in twice on this session shows twice). */
  readonly apps: readonly JoinedApp[];
}

/** One attribute as stored: a value, or a removal kept as a tombstone (flagged, no value). */
export interface AttributeDetail {
  readonly key: string;
  readonly value?: unknown;
  readonly removed?: true;
  readonly writer: string;
  readonly writtenAt: number;
}

export interface SessionDetail extends SessionOverview {
  readonly shared: readonly AttributeDetail[];
  readonly private: readonly {
    readonly clientId: string;
    readonly attributes: AttributeDetail[];
  }[];
}

export interface PrincipalSessions {
  readonly principal: Pick<PrincipalRecord, 'id' | 'realm' | 'subject' | 'profile'>;
  readonly sessions: readonly SessionOverview[];
}

/** The administrators' look inside a principal's sessions. Reads only. */
export class DescribeSessions {
  constructor(
    private readonly store: PrincipalStore,
    private readonly clock: Clock,
    private readonly timeouts: SessionTimeouts,
  ) {}

  async sessionsOf(principalId: string): Promise<PrincipalSessions> {
    const loaded = await this.store.loadPrincipal(principalId);
    if (!loaded) throw new PrincipalNotFound();
    const now = this.clock.now();
    const { id, realm, subject, profile } = loaded.principal;
    const sessions = [...loaded.sessions.values()]
      .sort((a, b) => b.createdAt - a.createdAt || compare(a.id, b.id))
      .map((s) => this.overviewOf(s, now));
    return { principal: { id, realm, subject, profile }, sessions };
  }

  async session(principalId: string, sessionId: string): Promise<SessionDetail> {
    const loaded = await this.store.loadSession(principalId, sessionId);
    if (!loaded) throw new SessionNotFound();
    const { session } = loaded;
    const privateNamespaces = [...session.attributes.private]
      .sort(([a], [b]) => compare(a, b))
      .map(([clientId, entries]) => ({ clientId, attributes: detailsOf(entries) }));
    return {
      ...this.overviewOf(session, this.clock.now()),
      shared: detailsOf(session.attributes.shared),
      private: privateNamespaces,
    };
  }

  private overviewOf(session: SsoSession, now: number): SessionOverview {
    const { idleExpiresAt, absoluteExpiresAt } = expiryOf(session, this.timeouts);
    const apps = [...session.appSessions.values()]
      .map((app) => ({ clientId: app.clientId, joinedAt: app.createdAt }))
      .sort((a, b) => a.joinedAt - b.joinedAt || compare(a.clientId, b.clientId));
    return {
      sessionId: session.id,
      createdAt: session.createdAt,
      lastActivityAt: session.lastAccessAt,
      idleExpiresAt,
      absoluteExpiresAt,
      live: isSessionLive(session, this.timeouts, now),
      ...(session.endedAt === undefined ? {} : { endedAt: session.endedAt }),
      ...(session.endCause === undefined ? {} : { endCause: session.endCause }),
      client: { ...session.client },
      apps,
    };
  }
}

/** Values are stored as the JSON text the app sent, so they parse back to what it wrote. */
function detailsOf(entries: ReadonlyMap<string, AttributeEntry>): AttributeDetail[] {
  return [...entries]
    .sort(([a], [b]) => compare(a, b))
    .map(([key, entry]) => ({
      key,
      ...(entry.value === undefined
        ? { removed: true as const }
        : { value: JSON.parse(entry.value) as unknown }),
      writer: entry.writer,
      writtenAt: entry.time,
    }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
