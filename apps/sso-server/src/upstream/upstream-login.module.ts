import { Module } from '@nestjs/common';
import { LoginModule } from '../login/login.module';
import { HandshakeCookie } from './handshake-cookie';
import { UpstreamLoginController } from './upstream-login.controller';
import { UpstreamPassport } from './upstream-passport';
import { UpstreamProviders } from './upstream-providers';

/**
 * Sign-in through upstream OpenID Connect providers (docs/upstream-oidc.md). Exports
 * UpstreamProviders for the login page, which lists the providers that are ready.
 */
@Module({
  imports: [LoginModule],
  controllers: [UpstreamLoginController],
  providers: [UpstreamProviders, UpstreamPassport, HandshakeCookie],
  exports: [UpstreamProviders],
})
export class UpstreamLoginModule {}
