import { Module } from '@nestjs/common';
import { AdminTokenBootstrap } from './admin-token-bootstrap';

/** Admin API access: the start-up token (the Bearer check itself is in the global AccessGuard). */
@Module({ providers: [AdminTokenBootstrap] })
export class AdminAccessModule {}
