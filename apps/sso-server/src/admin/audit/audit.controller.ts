import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditEventType, AuditKey, AuditQuery } from '@tessera/core';
import { AuditLog } from '@tessera/core';
import { AdminRead } from '../../http/access';
import { decodeCursor, encodeCursor } from '../shared/page-cursor';
import { AuditQueryDto } from './audit-query.dto';
import { AuditPageView, presentAuditEvent } from './audit-event.view';

const LIST = 'audit';

/** The audit log, newest first: sign-ins, failures, session ends and admin actions. */
@Controller('admin/v1/audit')
@ApiTags('admin: audit')
@ApiBearerAuth('adminToken')
export class AuditController {
  constructor(private readonly log: AuditLog) {}

  @Get()
  @AdminRead()
  @ApiOperation({
    summary: 'List audit events, newest first, filtered by principal, type and time',
  })
  @ApiOkResponse({ type: AuditPageView })
  async list(@Query() query: AuditQueryDto): Promise<AuditPageView> {
    const page = await this.log.list(auditQueryOf(query));
    return {
      items: page.events.map(presentAuditEvent),
      ...(page.next ? { nextCursor: encodeCursor(LIST, [page.next.at, page.next.id]) } : {}),
    };
  }
}

/** The validated query as the port's filter; time bounds must be in order. */
function auditQueryOf(query: AuditQueryDto): AuditQuery {
  const from = query.from === undefined ? undefined : Date.parse(query.from);
  const to = query.to === undefined ? undefined : Date.parse(query.to);
  if (from !== undefined && to !== undefined && from > to) {
    throw new BadRequestException('from must not be later than to');
  }
  if (query.realm !== undefined && query.subject === undefined) {
    throw new BadRequestException('realm filters only together with subject');
  }
  return {
    limit: query.limit,
    ...(query.type === undefined ? {} : { types: query.type.split(',') as AuditEventType[] }),
    ...(query.principalId === undefined ? {} : { principalId: query.principalId }),
    ...(query.subject === undefined
      ? {}
      : { subject: { realm: query.realm!, subject: query.subject } }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(query.cursor === undefined ? {} : { after: afterOf(query.cursor) }),
  };
}

function afterOf(cursor: string): AuditKey {
  const [at, id] = decodeCursor(LIST, cursor, ['number', 'string']);
  return { at: at as number, id: id as string };
}
