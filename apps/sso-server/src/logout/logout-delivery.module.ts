import { Module } from '@nestjs/common';
import { LogoutDispatcher } from './logout-dispatcher';

/** The back-channel logout dispatcher; its ports (outbox, token issuer) come from global modules. */
@Module({ providers: [LogoutDispatcher], exports: [LogoutDispatcher] })
export class LogoutDeliveryModule {}
