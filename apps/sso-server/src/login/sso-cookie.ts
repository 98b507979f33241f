import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ServiceSettings } from '../config/service-settings';
import type { ServiceCookie } from '../http/cookies';
import { clearServiceCookie, hostCookieName, readCookie, setServiceCookie } from '../http/cookies';

/**
 * The browser's SSO cookie: host-only (`__Host-` over https), HttpOnly, SameSite=Lax, Secure
 * except on plain-http development hosts, and a browser-session cookie.
 */
@Injectable()
export class SsoCookie {
  private readonly cookie: ServiceCookie;

  constructor(settings: ServiceSettings) {
    this.cookie = {
      name: hostCookieName('tessera_sso', settings.secureCookies),
      secure: settings.secureCookies,
    };
  }

  get name(): string {
    return this.cookie.name;
  }

  read(req: Request): string | undefined {
    return readCookie(req.headers.cookie, this.cookie.name);
  }

  set(res: Response, ssoToken: string): void {
    setServiceCookie(res, this.cookie, ssoToken);
  }

  clear(res: Response): void {
    clearServiceCookie(res, this.cookie);
  }
}
