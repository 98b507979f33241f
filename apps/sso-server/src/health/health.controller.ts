import { Controller, Get } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Public } from '../http/access';

@Controller('health')
@Public()
export class HealthController {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  /** Liveness plus a database round trip, for load balancers and `docker compose`. */
  @Get()
  async check(): Promise<{ status: 'ok' }> {
    await this.connection.db!.command({ ping: 1 });
    return { status: 'ok' };
  }
}
