import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@tessera/core';
import { ServiceSecrets } from '@tessera/core';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { ServiceSettings } from '../config/service-settings';
import { CLOCK } from '../core/injection-tokens';
import type { ServiceCookie } from '../http/cookies';
import { clearServiceCookie, hostCookieName, readCookie, setServiceCookie } from '../http/cookies';
import { signValue, verifyValue } from '../security/signed-value';

/** A validated authorization request waiting for the user to sign in. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state?: string;
  readonly codeChallenge: string;
  readonly loginHint?: string;
}

export interface PendingLogin extends AuthorizationRequest {
  /** Must come back with the login form (or upstream start): the CSRF token. */
  readonly csrf: string;
  readonly expiresAt: number;
}

const PURPOSE = 'pending-login';

/**
 * Keeps the authorization request across the login page in a signed, short-lived cookie, so
 * any instance can continue it and the login form carries a CSRF token bound to it.
 */
@Injectable()
export class PendingLogins {
  private readonly cookie: ServiceCookie;

  constructor(
    private readonly secrets: ServiceSecrets,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly settings: ServiceSettings,
  ) {
    this.cookie = {
      name: hostCookieName('tessera_login', settings.secureCookies),
      secure: settings.secureCookies,
      maxAgeMs: settings.login.pendingLoginTtlMs,
    };
  }

  async start(res: Response, request: AuthorizationRequest): Promise<PendingLogin> {
    const pending: PendingLogin = {
      ...request,
      csrf: randomBytes(32).toString('base64url'),
      expiresAt: this.clock.now() + this.settings.login.pendingLoginTtlMs,
    };
    setServiceCookie(res, this.cookie, signValue(await this.key(), PURPOSE, pending));
    return pending;
  }

  /** The pending login of this browser, if its cookie is genuine and not expired. */
  async read(req: Request): Promise<PendingLogin | undefined> {
    const value = verifyValue(
      await this.key(),
      PURPOSE,
      readCookie(req.headers.cookie, this.cookie.name),
    );
    const pending = value as PendingLogin | undefined;
    if (
      !pending ||
      typeof pending.expiresAt !== 'number' ||
      pending.expiresAt <= this.clock.now()
    ) {
      return undefined;
    }
    return pending;
  }

  clear(res: Response): void {
    clearServiceCookie(res, this.cookie);
  }

  private key(): Promise<Buffer> {
    return this.secrets.get('cookie-signing');
  }
}
