import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AdminCaller, AdminScope, RegisteredApp } from '@tessera/core';
import {
  AdminTokenRequired,
  AuthenticateClient,
  ClientAuthenticationFailed,
  InsufficientAdminScope,
  InvalidAdminToken,
  scopesGrant,
  VerifyAdminToken,
} from '@tessera/core';
import type { Request, Response } from 'express';
import { AdminRefusalRecord } from '../admin/audit/admin-refusal-record';
import type { Access } from './access';
import { ACCESS_METADATA } from './access';
import { parseBasicCredentials } from './basic-credentials';
import { parseBearerToken } from './bearer-token';

export interface AuthenticatedRequest extends Request {
  tesseraApp?: RegisteredApp;
  /** The admin token's holder, on admin routes. */
  tesseraAdmin?: AdminCaller;
}

const ADMIN_SCOPE: Partial<Record<Access, AdminScope>> = {
  'admin-read': 'read',
  'admin-full': 'full',
};

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticateClient: AuthenticateClient,
    private readonly verifyAdminToken: VerifyAdminToken,
    private readonly refusals: AdminRefusalRecord,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    switch (access) {
      case 'public':
        return true;
      case 'app': {
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
      case 'admin-read':
      case 'admin-full':
        // Set first, so that refusals are not kept by any cache either.
        context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
        request.tesseraAdmin = await this.admitAdmin(request, ADMIN_SCOPE[access]!);
        return true;
      default:
        throw new ForbiddenException('this route declares no access rule');
    }
  }

  private async admitAdmin(request: Request, needed: AdminScope): Promise<AdminCaller> {
    const value = parseBearerToken(request.headers.authorization);
    if (value === undefined) {
      await this.refusals.record(request, 'no_token');
      throw new AdminTokenRequired();
    }
    const caller = await this.verifyAdminToken.execute(value);
    if (!caller) {
      await this.refusals.record(request, 'invalid_token');
      throw new InvalidAdminToken();
    }
    if (!scopesGrant(caller.scopes, needed)) {
      await this.refusals.record(request, 'insufficient_scope', {
        tokenId: caller.tokenId,
        needed,
      });
      throw new InsufficientAdminScope(needed);
    }
    return caller;
  }
}
