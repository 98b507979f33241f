import { Module } from '@nestjs/common';
import { LoginModule } from '../login/login.module';
import { LogoutConfirmations } from './logout-confirmations';
import { LogoutPageController } from './logout-page.controller';

@Module({
  imports: [LoginModule],
  controllers: [LogoutPageController],
  providers: [LogoutConfirmations],
})
export class LogoutPageModule {}
