import { ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_EVENT_TYPES } from '@tessera/core';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../shared/page-query.dto';

const TYPE = AUDIT_EVENT_TYPES.map((t) => t.replace('.', '\\.')).join('|');
const TYPE_LIST = new RegExp(`^(?:${TYPE})(?:,(?:${TYPE}))*$`);
export const PRINCIPAL_ID = /^[A-Za-z0-9_-]{22}$/;
const REALM = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SUBJECT = /^[^\p{Cc}]+$/u;
const MAX_SUBJECT = 512;
/**
 * A date, or a date-time with its offset (RFC 3339). IsISO8601 alone also lets through week and
 * basic forms (`2024-W01`, `20240101T000000Z`) that Date.parse cannot read.
 */
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Filters of GET /admin/v1/audit; all combine with AND. */
export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: `One event type, or several separated by commas: ${AUDIT_EVENT_TYPES.join(', ')}.`,
    maxLength: 200,
    example: 'login.failed,login.throttled',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(TYPE_LIST, {
    message: `type must be one or more of ${AUDIT_EVENT_TYPES.join(', ')}, separated by commas`,
  })
  type?: string;

  @ApiPropertyOptional({ pattern: PRINCIPAL_ID.source, description: 'Events of this principal.' })
  @IsOptional()
  @IsString()
  @Matches(PRINCIPAL_ID, { message: 'principalId must be 22 base64url characters' })
  principalId?: string;

  @ApiPropertyOptional({
    maxLength: MAX_SUBJECT,
    description: 'Events of this subject (`local:<id>` or `<provider>:<sub>`); needs `realm`.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SUBJECT)
  @Matches(SUBJECT, { message: 'subject must not contain control characters' })
  subject?: string;

  @ApiPropertyOptional({
    pattern: REALM.source,
    description: 'The realm of `subject`; only with it.',
  })
  @ValidateIf((query: AuditQueryDto) => query.realm !== undefined || query.subject !== undefined)
  @IsString({ message: 'realm is required with subject' })
  @Matches(REALM, { message: 'realm must be a realm name (lower-case letters, digits and -)' })
  realm?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Events at or after this time (ISO 8601).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(DATE_TIME, { message: 'from must be an ISO 8601 date-time with an offset' })
  @IsISO8601(
    { strict: true, strictSeparator: true },
    { message: 'from must be an ISO 8601 date-time' },
  )
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Events at or before this time (ISO 8601).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(DATE_TIME, { message: 'to must be an ISO 8601 date-time with an offset' })
  @IsISO8601(
    { strict: true, strictSeparator: true },
    { message: 'to must be an ISO 8601 date-time' },
  )
  to?: string;
}
