import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ActivityPosition } from '@tessera/core';
import { ListOnlinePrincipals } from '@tessera/core';
import { AdminRead } from '../../http/access';
import { decodeCursor, encodeCursor } from '../shared/page-cursor';
import { OnlineUsersQueryDto } from './session-requests.dto';
import { OnlineUsersPageView, presentOnlineUser } from './session.views';

const LIST = 'online-users';

/** Who is online: principals with at least one live session. */
@Controller('admin/v1/online-users')
@ApiTags('admin: sessions')
@ApiBearerAuth('adminToken')
export class OnlineUsersController {
  constructor(private readonly listOnline: ListOnlinePrincipals) {}

  @Get()
  @AdminRead()
  @ApiOperation({
    summary: 'Principals with a live session, newest activity first, with the total count',
  })
  @ApiOkResponse({ type: OnlineUsersPageView })
  async list(@Query() query: OnlineUsersQueryDto): Promise<OnlineUsersPageView> {
    const page = await this.listOnline.execute({
      filter: {
        realm: query.realm,
        clientId: query.clientId,
        subjectPrefix: query.subjectPrefix,
        namePrefix: query.namePrefix,
      },
      limit: query.limit,
      after: afterOf(query.cursor),
    });
    return {
      items: page.items.map(presentOnlineUser),
      total: page.total,
      ...(page.next
        ? { nextCursor: encodeCursor(LIST, [page.next.lastActivityAt, page.next.principalId]) }
        : {}),
    };
  }
}

function afterOf(cursor: string | undefined): ActivityPosition | undefined {
  if (cursor === undefined) return undefined;
  const [lastActivityAt, principalId] = decodeCursor(LIST, cursor, ['number', 'string']);
  return { lastActivityAt: lastActivityAt as number, principalId: principalId as string };
}
