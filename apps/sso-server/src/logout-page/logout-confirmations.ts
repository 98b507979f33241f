import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@tessera/core';
import { ServiceSecrets } from '@tessera/core';
import { createHash } from 'node:crypto';
import { CLOCK } from '../core/injection-tokens';
import { signValue, verifyValue } from '../security/signed-value';

const PURPOSE = 'logout-confirm';
const VALID_MS = 10 * 60 * 1000;

/**
 * The CSRF token of the logout confirmation form: signed, short-lived, and bound to the
 * browser's SSO cookie, so a token shown to one browser ends nothing in another.
 */
@Injectable()
export class LogoutConfirmations {
  constructor(
    private readonly secrets: ServiceSecrets,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async tokenFor(ssoToken: string | undefined): Promise<string> {
    return signValue(await this.key(), PURPOSE, {
      sso: digest(ssoToken),
      exp: this.clock.now() + VALID_MS,
    });
  }

  async isValid(token: unknown, ssoToken: string | undefined): Promise<boolean> {
    if (typeof token !== 'string') return false;
    const payload = verifyValue(await this.key(), PURPOSE, token) as
      { sso?: unknown; exp?: unknown } | undefined;
    return (
      payload?.sso === digest(ssoToken) &&
      typeof payload.exp === 'number' &&
      payload.exp > this.clock.now()
    );
  }

  private key(): Promise<Buffer> {
    return this.secrets.get('cookie-signing');
  }
}

function digest(ssoToken: string | undefined): string {
  return createHash('sha256')
    .update(ssoToken ?? '')
    .digest('base64url');
}
