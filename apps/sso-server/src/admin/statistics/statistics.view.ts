import { ApiProperty } from '@nestjs/swagger';
import type { AuditCounts, SessionStatistics } from '@tessera/core';

const BY_APP = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description: 'client id → live sessions the app joined.',
} as const;

export class SessionEndsView {
  @ApiProperty() logout!: number;
  @ApiProperty() admin!: number;
  @ApiProperty({ name: 'idle-timeout' }) 'idle-timeout'!: number;
  @ApiProperty({ name: 'absolute-timeout' }) 'absolute-timeout'!: number;
  @ApiProperty() evicted!: number;
}

export class WindowCountsView {
  @ApiProperty() signIns!: number;
  @ApiProperty() failedSignIns!: number;
  @ApiProperty({ description: 'Sessions ended, all causes together.' }) logouts!: number;
  @ApiProperty({ type: SessionEndsView, description: 'Sessions ended, by cause.' })
  sessionsEnded!: SessionEndsView;
}

export class LogoutNotificationCountsView {
  @ApiProperty({ description: 'Waiting for delivery or a retry.' }) pending!: number;
  @ApiProperty({ description: 'Abandoned after their deadline.' }) givenUp!: number;
}

export class StatisticsView {
  @ApiProperty({
    format: 'date-time',
    description: 'When the figures were computed; each instance keeps them for 5 seconds.',
  })
  computedAt!: string;
  @ApiProperty() onlinePrincipals!: number;
  @ApiProperty({ description: 'Sessions not ended of the online principals.' })
  liveSessions!: number;
  @ApiProperty(BY_APP) liveSessionsByApp!: Record<string, number>;
  @ApiProperty({ type: WindowCountsView }) lastMinute!: WindowCountsView;
  @ApiProperty({ type: WindowCountsView }) lastHour!: WindowCountsView;
  @ApiProperty({ type: LogoutNotificationCountsView })
  logoutNotifications!: LogoutNotificationCountsView;
}

export function presentStatistics(s: SessionStatistics): StatisticsView {
  return {
    computedAt: new Date(s.computedAt).toISOString(),
    onlinePrincipals: s.onlinePrincipals,
    liveSessions: s.liveSessions,
    liveSessionsByApp: { ...s.liveSessionsByApp },
    lastMinute: presentWindow(s.lastMinute),
    lastHour: presentWindow(s.lastHour),
    logoutNotifications: { ...s.logoutNotifications },
  };
}

function presentWindow(counts: AuditCounts): WindowCountsView {
  const ends = counts.sessionsEnded;
  return {
    signIns: counts.signIns,
    failedSignIns: counts.failedSignIns,
    logouts: Object.values(ends).reduce((sum, n) => sum + n, 0),
    sessionsEnded: {
      logout: ends.logout,
      admin: ends.admin,
      'idle-timeout': ends['idle-timeout'],
      'absolute-timeout': ends['absolute-timeout'],
      evicted: ends.evicted,
    },
  };
}
