import { Module } from '@nestjs/common';
import { PendingLogins } from './pending-login';
import { SignInCompletion } from './sign-in-completion';
import { SsoCookie } from './sso-cookie';

/** What every sign-in method shares: the pending login, the SSO cookie, and the completion. */
@Module({
  providers: [PendingLogins, SsoCookie, SignInCompletion],
  exports: [PendingLogins, SsoCookie, SignInCompletion],
})
export class LoginModule {}
