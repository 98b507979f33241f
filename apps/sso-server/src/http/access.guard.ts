import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RegisteredApp } from '@tessera/core';
import { AuthenticateClient, ClientAuthenticationFailed } from '@tessera/core';
import type { Request } from 'express';
import type { Access } from './access';
import { ACCESS_METADATA } from './access';
import { parseBasicCredentials } from './basic-credentials';

export interface AuthenticatedRequest extends Request {
  tesseraApp?: RegisteredApp;
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticateClient: AuthenticateClient,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    switch (access) {
      case 'public':
        return true;
      case 'app': {
        const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
        const credentials = parseBasicCredentials(request.headers.authorization);
        if (!credentials) {
          throw new ClientAuthenticationFailed('HTTP Basic client authentication is required');
        }
        request.tesseraApp = await this.authenticateClient.execute(
          credentials.clientId,
          credentials.secret,
        );
        return true;
      }
      default:
        throw new ForbiddenException('this route declares no access rule');
    }
  }
}
