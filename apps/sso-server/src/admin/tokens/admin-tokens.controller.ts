import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AdminTokenKey } from '@tessera/core';
import { CreateAdminToken, ListAdminTokens, RevokeAdminToken } from '@tessera/core';
import { AdminFull } from '../../http/access';
import { decodeCursor, encodeCursor } from '../shared/page-cursor';
import { PageQueryDto } from '../shared/page-query.dto';
import {
  AdminTokenIdParams,
  AdminTokenPageView,
  AdminTokenView,
  CreateAdminTokenDto,
  CreatedAdminTokenView,
  presentAdminToken,
} from './admin-token.dto';

const LIST = 'admin-tokens';

/** Admin API tokens: only a `full` token may see or change them, as they grant everything. */
@Controller('admin/v1/tokens')
@ApiTags('admin: tokens')
@ApiBearerAuth('adminToken')
@AdminFull()
export class AdminTokensController {
  constructor(
    private readonly createToken: CreateAdminToken,
    private readonly listTokens: ListAdminTokens,
    private readonly revokeToken: RevokeAdminToken,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List admin tokens, newest first (revoked ones included)' })
  @ApiOkResponse({ type: AdminTokenPageView })
  async list(@Query() query: PageQueryDto): Promise<AdminTokenPageView> {
    const page = await this.listTokens.execute({
      after: afterOf(query.cursor),
      limit: query.limit,
    });
    return {
      items: page.tokens.map(presentAdminToken),
      ...(page.next ? { nextCursor: encodeCursor(LIST, [page.next.createdAt, page.next.id]) } : {}),
    };
  }

  @Post()
  @ApiOperation({ summary: 'Create an admin token; its value is shown in this answer only' })
  @ApiCreatedResponse({ type: CreatedAdminTokenView })
  async create(@Body() body: CreateAdminTokenDto): Promise<CreatedAdminTokenView> {
    const created = await this.createToken.execute({ name: body.name, scope: body.scope });
    return { token: presentAdminToken(created.token), value: created.value };
  }

  @Delete(':tokenId')
  @ApiOperation({
    summary:
      'Revoke an admin token, at once on every instance (the calling token may revoke itself)',
  })
  @ApiOkResponse({ type: AdminTokenView })
  async revoke(@Param() params: AdminTokenIdParams): Promise<AdminTokenView> {
    return presentAdminToken(await this.revokeToken.execute(params.tokenId));
  }
}

function afterOf(cursor: string | undefined): AdminTokenKey | undefined {
  if (cursor === undefined) return undefined;
  const [createdAt, id] = decodeCursor(LIST, cursor, ['number', 'string']);
  return { createdAt: createdAt as number, id: id as string };
}
