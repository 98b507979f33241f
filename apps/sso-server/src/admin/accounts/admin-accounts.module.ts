import { Module } from '@nestjs/common';
import type { Clock } from '@tessera/core';
import {
  AccountStore,
  ListLocalAccounts,
  ResetAccountPassword,
  SecretHasher,
  SetAccountEnabled,
} from '@tessera/core';
import { CLOCK } from '../../core/injection-tokens';
import { AdminSessionsModule } from '../sessions/admin-sessions.module';
import { AccountsController } from './accounts.controller';

/** Local accounts over the admin API; its use cases are wired here, from CoreModule's ports. */
@Module({
  imports: [AdminSessionsModule],
  controllers: [AccountsController],
  providers: [
    {
      provide: ListLocalAccounts,
      inject: [AccountStore],
      useFactory: (accounts: AccountStore) => new ListLocalAccounts(accounts),
    },
    {
      provide: SetAccountEnabled,
      inject: [AccountStore, CLOCK],
      useFactory: (accounts: AccountStore, clock: Clock) => new SetAccountEnabled(accounts, clock),
    },
    {
      provide: ResetAccountPassword,
      inject: [AccountStore, SecretHasher, CLOCK],
      useFactory: (accounts: AccountStore, hasher: SecretHasher, clock: Clock) =>
        new ResetAccountPassword(accounts, hasher, clock),
    },
  ],
})
export class AdminAccountsModule {}
