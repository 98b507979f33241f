import { Module } from '@nestjs/common';
import { LoginModule } from '../login/login.module';
import { AuthorizeController } from './authorize.controller';
import { TokenController } from './token.controller';

@Module({ imports: [LoginModule], controllers: [AuthorizeController, TokenController] })
export class OAuthModule {}
