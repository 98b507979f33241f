import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@tessera/core';
import { ServiceSecrets } from '@tessera/core';
import type { Request, Response } from 'express';
import { ServiceSettings } from '../config/service-settings';
import { CLOCK } from '../core/injection-tokens';
import type { ServiceCookie } from '../http/cookies';
import { clearServiceCookie, hostCookieName, readCookie, setServiceCookie } from '../http/cookies';
import { signValue, verifyValue } from '../security/signed-value';

/**
 * What the callback needs to check the provider's answer: what passport strategies usually keep
 * in `req.session`. Tessera has no server-side web session, so it travels in a signed cookie.
 */
export interface UpstreamHandshake {
  readonly realm: string;
  readonly provider: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Ties the handshake to the pending login it started from (see loginBindingOf). */
  readonly login: string;
  readonly expiresAt: number;
}

/** Its own purpose: a pending-login cookie never verifies as a handshake, nor the reverse. */
const PURPOSE = 'upstream-handshake';
/** Long enough to sign in at the provider, short enough that a stolen cookie soon is useless. */
export const HANDSHAKE_TTL_MS = 10 * 60 * 1000;

/**
 * The upstream handshake cookie: host-only, HttpOnly, SameSite=Lax (the provider's redirect
 * back is a top-level GET, which Lax lets through), `__Host-` over https, ten minutes. It is
 * taken (read and cleared) by the callback, so each handshake completes at most once.
 */
@Injectable()
export class HandshakeCookie {
  private readonly cookie: ServiceCookie;

  constructor(
    private readonly secrets: ServiceSecrets,
    @Inject(CLOCK) private readonly clock: Clock,
    settings: ServiceSettings,
  ) {
    this.cookie = {
      name: hostCookieName('tessera_upstream', settings.secureCookies),
      secure: settings.secureCookies,
      maxAgeMs: HANDSHAKE_TTL_MS,
    };
  }

  async issue(res: Response, handshake: Omit<UpstreamHandshake, 'expiresAt'>): Promise<void> {
    const value: UpstreamHandshake = {
      ...handshake,
      expiresAt: this.clock.now() + HANDSHAKE_TTL_MS,
    };
    setServiceCookie(res, this.cookie, signValue(await this.key(), PURPOSE, value));
  }

  /** The genuine, unexpired handshake of this browser, if any; the cookie is cleared either way. */
  async take(req: Request, res: Response): Promise<UpstreamHandshake | undefined> {
    const raw = readCookie(req.headers.cookie, this.cookie.name);
    if (raw === undefined) return undefined;
    clearServiceCookie(res, this.cookie);
    const value = verifyValue(await this.key(), PURPOSE, raw);
    return isHandshake(value) && value.expiresAt > this.clock.now() ? value : undefined;
  }

  private key(): Promise<Buffer> {
    return this.secrets.get('cookie-signing');
  }
}

function isHandshake(value: unknown): value is UpstreamHandshake {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    ['realm', 'provider', 'state', 'nonce', 'codeVerifier', 'login'].every(
      (field) => typeof v[field] === 'string',
    ) && typeof v.expiresAt === 'number'
  );
}
