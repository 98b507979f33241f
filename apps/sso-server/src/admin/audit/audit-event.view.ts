import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditEvent } from '@tessera/core';
import { AUDIT_EVENT_TYPES } from '@tessera/core';

export class AuditEventView {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: AUDIT_EVENT_TYPES }) type!: string;
  @ApiPropertyOptional() realm?: string;
  @ApiPropertyOptional() principalId?: string;
  @ApiPropertyOptional() subject?: string;
  @ApiPropertyOptional() sessionId?: string;
  @ApiPropertyOptional() clientId?: string;
  @ApiPropertyOptional() clientIp?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Per type (docs/admin/access-and-audit.md): reason, cause, method, route, status…',
  })
  details!: Record<string, unknown>;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditEventView] }) items!: AuditEventView[];
  @ApiPropertyOptional({ description: 'Absent on the last page.' }) nextCursor?: string;
}

export function presentAuditEvent(event: AuditEvent): AuditEventView {
  return { ...event, at: new Date(event.at).toISOString(), details: { ...event.details } };
}
