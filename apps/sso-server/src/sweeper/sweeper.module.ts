import { Module } from '@nestjs/common';
import { ExpirySweeper } from './expiry-sweeper';

/** The service's own expiry sweeper; its use case and settings come from the global CoreModule. */
@Module({ providers: [ExpirySweeper], exports: [ExpirySweeper] })
export class SweeperModule {}
