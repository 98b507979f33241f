import { Global, Module } from '@nestjs/common';
import { LogoutDeliveryTrigger } from '@tessera/core';
import { LogoutDispatcher } from './logout-dispatcher';

/**
 * The back-channel logout dispatcher; its ports (outbox, token issuer) come from global modules.
 * Global, so that ending a session (CoreModule) can start delivery at once through the trigger.
 */
@Global()
@Module({
  providers: [
    LogoutDispatcher,
    {
      provide: LogoutDeliveryTrigger,
      useFactory: (d: LogoutDispatcher) => d.trigger,
      inject: [LogoutDispatcher],
    },
  ],
  exports: [LogoutDispatcher, LogoutDeliveryTrigger],
})
export class LogoutDeliveryModule {}
