import { Module } from '@nestjs/common';
import { LoginModule } from '../login/login.module';
import { LogoutPageController } from './logout-page.controller';

@Module({ imports: [LoginModule], controllers: [LogoutPageController] })
export class LogoutPageModule {}
