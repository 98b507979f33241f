import { Module } from '@nestjs/common';
import type { Clock } from '@tessera/core';
import {
  DescribeSessions,
  EndSessionsByAdmin,
  EndSsoSession,
  ListOnlinePrincipals,
  LogoutOutbox,
  OnlinePrincipals,
  PrincipalStore,
} from '@tessera/core';
import { ServiceSettings } from '../../config/service-settings';
import { CLOCK } from '../../core/injection-tokens';
import { OnlineUsersController } from './online-users.controller';
import { PrincipalSessionsController } from './principal-sessions.controller';

/** Online users, a principal's sessions, and ending them (docs/admin/sessions.md). */
@Module({
  controllers: [OnlineUsersController, PrincipalSessionsController],
  providers: [
    {
      provide: ListOnlinePrincipals,
      inject: [OnlinePrincipals, CLOCK, ServiceSettings],
      useFactory: (online: OnlinePrincipals, clock: Clock, s: ServiceSettings) =>
        new ListOnlinePrincipals(online, clock, s.session.timeouts),
    },
    {
      provide: DescribeSessions,
      inject: [PrincipalStore, CLOCK, ServiceSettings],
      useFactory: (store: PrincipalStore, clock: Clock, s: ServiceSettings) =>
        new DescribeSessions(store, clock, s.session.timeouts),
    },
    {
      provide: EndSessionsByAdmin,
      inject: [PrincipalStore, EndSsoSession, LogoutOutbox],
      useFactory: (store: PrincipalStore, end: EndSsoSession, outbox: LogoutOutbox) =>
        new EndSessionsByAdmin(store, end, outbox),
    },
  ],
  // The accounts endpoints end an account's sessions with it.
  exports: [EndSessionsByAdmin],
})
export class AdminSessionsModule {}
