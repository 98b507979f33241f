import { Module } from '@nestjs/common';
import { AdminTokensController } from './admin-tokens.controller';

/** The admin API's own tokens (the use cases come from CoreModule). */
@Module({ controllers: [AdminTokensController] })
export class AdminTokensModule {}
