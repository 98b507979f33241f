import { Module } from '@nestjs/common';
import { AppAdministration } from './app-administration';
import { AppsController } from './apps.controller';

/** Registered apps over the admin API; the store and the registry come from CoreModule. */
@Module({ controllers: [AppsController], providers: [AppAdministration] })
export class AdminAppsModule {}
