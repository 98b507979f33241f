import { Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DescribeSessions, EndSessionsByAdmin } from '@tessera/core';
import { AdminFull, AdminRead } from '../../http/access';
import { NoQueryParams } from './no-query-params.pipe';
import { PrincipalIdParams, SessionIdParams } from './session-requests.dto';
import {
  EndedSessionsView,
  PrincipalSessionsView,
  SessionDetailView,
  presentEnded,
  presentPrincipalSessions,
  presentSessionDetail,
} from './session.views';

/** One principal's sessions: look inside them, and the kill switches. */
@Controller('admin/v1/principals/:principalId/sessions')
@ApiTags('admin: sessions')
@ApiBearerAuth('adminToken')
export class PrincipalSessionsController {
  constructor(
    private readonly describe: DescribeSessions,
    private readonly endSessions: EndSessionsByAdmin,
  ) {}

  @Get()
  @AdminRead()
  @ApiOperation({ summary: "A principal's sessions, newest first, with the apps that joined each" })
  @ApiOkResponse({ type: PrincipalSessionsView })
  async list(
    @Param() params: PrincipalIdParams,
    @Query(NoQueryParams) _query: unknown,
  ): Promise<PrincipalSessionsView> {
    return presentPrincipalSessions(await this.describe.sessionsOf(params.principalId));
  }

  @Get(':sessionId')
  @AdminRead()
  @ApiOperation({
    summary: 'One session in full: shared and per-app private attributes, decoded, with writers',
  })
  @ApiOkResponse({ type: SessionDetailView })
  async show(
    @Param() params: SessionIdParams,
    @Query(NoQueryParams) _query: unknown,
  ): Promise<SessionDetailView> {
    return presentSessionDetail(await this.describe.session(params.principalId, params.sessionId));
  }

  @Delete(':sessionId')
  @AdminFull()
  @ApiOperation({ summary: 'End one session in every app (single logout, cause `admin`)' })
  @ApiOkResponse({ type: EndedSessionsView })
  async endOne(
    @Param() params: SessionIdParams,
    @Query(NoQueryParams) _query: unknown,
  ): Promise<EndedSessionsView> {
    return presentEnded(await this.endSessions.endOne(params.principalId, params.sessionId));
  }

  @Delete()
  @AdminFull()
  @ApiOperation({ summary: 'End every session of the principal in every app (cause `admin`)' })
  @ApiOkResponse({ type: EndedSessionsView })
  async endAll(
    @Param() params: PrincipalIdParams,
    @Query(NoQueryParams) _query: unknown,
  ): Promise<EndedSessionsView> {
    return presentEnded(await this.endSessions.endAll(params.principalId));
  }
}
