import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadSessionStatistics } from '@tessera/core';
import { AdminRead } from '../../http/access';
import { NoQueryParams } from '../sessions/no-query-params.pipe';
import { StatisticsView, presentStatistics } from './statistics.view';

@Controller('admin/v1/statistics')
@ApiTags('admin: statistics')
@ApiBearerAuth('adminToken')
export class StatisticsController {
  constructor(private readonly statistics: ReadSessionStatistics) {}

  @Get()
  @AdminRead()
  @ApiOperation({
    summary: 'Live sessions and principals, per-app sessions, sign-ins and logouts, notifications',
  })
  @ApiOkResponse({ type: StatisticsView })
  async show(@Query(NoQueryParams) _query: unknown): Promise<StatisticsView> {
    return presentStatistics(await this.statistics.execute());
  }
}
