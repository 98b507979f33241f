import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  AdminEndOutcome,
  AttributeDetail,
  OnlinePrincipal,
  PrincipalSessions,
  SessionDetail,
  SessionOverview,
} from '@tessera/core';
import { DELIVERY_STATES } from '@tessera/core';

const iso = (ms: number) => new Date(ms).toISOString();
const PROFILE = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'Claims of the principal (name, email, ...), decoded.',
} as const;

export class OnlineUserView {
  @ApiProperty() principalId!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() realm!: string;
  @ApiProperty(PROFILE) profile!: Record<string, string>;
  @ApiProperty({ minimum: 1 }) liveSessions!: number;
  @ApiProperty({ type: [String], description: 'Client ids of apps joined to a live session.' })
  appsInUse!: string[];
  @ApiProperty({ format: 'date-time' }) lastActivityAt!: string;
}

export class OnlineUsersPageView {
  @ApiProperty({ type: [OnlineUserView] }) items!: OnlineUserView[];
  @ApiProperty({ description: 'Principals matching the filters over all pages.' }) total!: number;
  @ApiPropertyOptional({ description: 'Absent on the last page.' }) nextCursor?: string;
}

export class ClientInfoView {
  @ApiPropertyOptional() ip?: string;
  @ApiPropertyOptional() userAgent?: string;
}

export class JoinedAppView {
  @ApiProperty() clientId!: string;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}

export class SessionOverviewView {
  @ApiProperty({ description: 'Public session id (the `sid` apps see).' }) sessionId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastActivityAt!: string;
  @ApiProperty({ format: 'date-time' }) idleExpiresAt!: string;
  @ApiProperty({ format: 'date-time' }) absoluteExpiresAt!: string;
  @ApiProperty({ description: 'Not ended and before both expiries.' }) live!: boolean;
  @ApiProperty() ended!: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) endedAt?: string;
  @ApiPropertyOptional({ description: 'logout, admin, idle-timeout, absolute-timeout, evicted.' })
  endCause?: string;
  @ApiProperty({ type: ClientInfoView, description: 'Where the browser signed in from.' })
  client!: ClientInfoView;
  @ApiProperty({ type: [JoinedAppView] }) apps!: JoinedAppView[];
}

export class PrincipalView {
  @ApiProperty() principalId!: string;
  @ApiProperty() realm!: string;
  @ApiProperty() subject!: string;
  @ApiProperty(PROFILE) profile!: Record<string, string>;
}

export class PrincipalSessionsView {
  @ApiProperty({ type: PrincipalView }) principal!: PrincipalView;
  @ApiProperty({ type: [SessionOverviewView] }) sessions!: SessionOverviewView[];
}

export class AttributeView {
  @ApiProperty({ description: 'The key as the app wrote it.' }) key!: string;
  @ApiPropertyOptional({ description: 'The value, decoded from JSON; absent for a removal.' })
  value?: unknown;
  @ApiPropertyOptional({ description: 'True for a removal kept so older writes cannot revive it.' })
  removed?: boolean;
  @ApiProperty({ description: 'Client id of the app that wrote it.' }) writer!: string;
  @ApiProperty({ format: 'date-time' }) writtenAt!: string;
}

export class PrivateAttributesView {
  @ApiProperty() clientId!: string;
  @ApiProperty({ type: [AttributeView] }) attributes!: AttributeView[];
}

export class SessionDetailView extends SessionOverviewView {
  @ApiProperty({ type: [AttributeView] }) shared!: AttributeView[];
  @ApiProperty({ type: [PrivateAttributesView] }) private!: PrivateAttributesView[];
}

export class NotificationStatusView {
  @ApiProperty() clientId!: string;
  @ApiProperty() sessionId!: string;
  @ApiProperty({ enum: DELIVERY_STATES }) state!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional() lastError?: string;
  @ApiPropertyOptional({ format: 'date-time' }) deliveredAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) nextAttemptAt?: string;
}

export class EndedSessionsView {
  @ApiProperty({ description: 'Sessions this call ended (0 when they had ended already).' })
  ended!: number;
  @ApiProperty({
    type: [NotificationStatusView],
    description: 'The back-channel logout notifications of those sessions, one per app.',
  })
  notifications!: NotificationStatusView[];
}

export function presentOnlineUser(item: OnlinePrincipal): OnlineUserView {
  return {
    principalId: item.principalId,
    subject: item.subject,
    realm: item.realm,
    profile: { ...item.profile },
    liveSessions: item.liveSessions,
    appsInUse: [...item.appsInUse],
    lastActivityAt: iso(item.lastActivityAt),
  };
}

export function presentPrincipalSessions(found: PrincipalSessions): PrincipalSessionsView {
  const { id, realm, subject, profile } = found.principal;
  return {
    principal: { principalId: id, realm, subject, profile: { ...profile } },
    sessions: found.sessions.map(presentOverview),
  };
}

export function presentSessionDetail(detail: SessionDetail): SessionDetailView {
  return {
    ...presentOverview(detail),
    shared: detail.shared.map(presentAttribute),
    private: detail.private.map((ns) => ({
      clientId: ns.clientId,
      attributes: ns.attributes.map(presentAttribute),
    })),
  };
}

export function presentEnded(outcome: AdminEndOutcome): EndedSessionsView {
  return {
    ended: outcome.ended,
    notifications: outcome.notifications.map((n) => ({
      clientId: n.clientId,
      sessionId: n.sessionId,
      state: n.state,
      attempts: n.attempts,
      ...(n.lastError === undefined ? {} : { lastError: n.lastError }),
      ...(n.deliveredAt === undefined ? {} : { deliveredAt: iso(n.deliveredAt) }),
      ...(n.nextAttemptAt === undefined ? {} : { nextAttemptAt: iso(n.nextAttemptAt) }),
    })),
  };
}

function presentOverview(session: SessionOverview): SessionOverviewView {
  return {
    sessionId: session.sessionId,
    createdAt: iso(session.createdAt),
    lastActivityAt: iso(session.lastActivityAt),
    idleExpiresAt: iso(session.idleExpiresAt),
    absoluteExpiresAt: iso(session.absoluteExpiresAt),
    live: session.live,
    ended: session.endedAt !== undefined,
    ...(session.endedAt === undefined ? {} : { endedAt: iso(session.endedAt) }),
    ...(session.endCause === undefined ? {} : { endCause: session.endCause }),
    client: { ...session.client },
    apps: session.apps.map((app) => ({ clientId: app.clientId, joinedAt: iso(app.joinedAt) })),
  };
}

function presentAttribute(attribute: AttributeDetail): AttributeView {
  return {
    key: attribute.key,
    ...(attribute.removed ? { removed: true } : { value: attribute.value }),
    writer: attribute.writer,
    writtenAt: iso(attribute.writtenAt),
  };
}
