import { Module } from '@nestjs/common';
import { LoginModule } from '../login/login.module';
import { UpstreamLoginModule } from '../upstream/upstream-login.module';
import { LoginPageController } from './login-page.controller';

/** The login page: local accounts by password, and links to the ready upstream providers. */
@Module({ imports: [LoginModule, UpstreamLoginModule], controllers: [LoginPageController] })
export class LoginPageModule {}
