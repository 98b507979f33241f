import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { AppRegistry, EndSsoSession, ResolveSsoSession } from '@tessera/core';
import type { Request, Response } from 'express';
import { ServiceSettings } from '../config/service-settings';
import { Public } from '../http/access';
import { CONTENT_SECURITY_POLICY } from '../http/configure-app';
import { serializeCsp } from '../http/csp';
import { SsoCookie } from '../login/sso-cookie';
import { sendErrorPage } from '../pages/error-page';
import { renderConfirmPage, renderSignedOutPage } from './logout-pages';
import { LogoutConfirmations } from './logout-confirmations';
import type { LogoutRequest } from './logout-request';

const SAME_SITE = new Set(['same-origin', 'same-site', 'none']);
import { InvalidLogoutRequest, logoutRequestOf } from './logout-request';

/**
 * Logout at the service (front-channel): GET /logout from an app of the same site, or POST from
 * the confirmation page. It ends the browser's SSO session through the one use case (so every
 * app is notified over the back channel, the guarantee) and loads each joined app's
 * front-channel logout URI in a hidden frame (best effort), then returns to the app.
 */
@Controller('logout')
@Public()
export class LogoutPageController {
  constructor(
    private readonly apps: AppRegistry,
    private readonly resolveSso: ResolveSsoSession,
    private readonly endSession: EndSsoSession,
    private readonly ssoCookie: SsoCookie,
    private readonly settings: ServiceSettings,
    private readonly confirmations: LogoutConfirmations,
  ) {}

  @Get()
  async start(@Req() req: Request, @Res() res: Response): Promise<void> {
    const request = await this.validated(req.query, res);
    if (!request) return;
    if (!this.fromThisSite(req)) {
      const csrf = await this.confirmations.tokenFor(this.ssoCookie.read(req));
      return this.send(res, renderConfirmPage(request, csrf), []);
    }
    await this.logOut(req, res, request);
  }

  @Post()
  async confirm(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!(await this.confirmations.isValid(body.csrf, this.ssoCookie.read(req)))) {
      return sendErrorPage(
        res,
        403,
        'Cannot sign you out here',
        'The form expired or did not come from this page. Try again.',
      );
    }
    const request = await this.validated(body, res);
    if (request) await this.logOut(req, res, request);
  }

  /**
   * Only a request the browser says came from this site (the realm's apps share its root
   * domain) or from the user's own typing logs out at once; any other page must ask first.
   * Browsers send Fetch Metadata only to https origins: there, a request without it comes from
   * an old browser and is asked; on plain-http development hosts nothing can tell, so it passes.
   */
  private fromThisSite(req: Request): boolean {
    const site = req.headers['sec-fetch-site'];
    if (site === undefined) return !this.settings.secureCookies;
    return SAME_SITE.has(String(site));
  }

  private async validated(
    params: Record<string, unknown>,
    res: Response,
  ): Promise<LogoutRequest | undefined> {
    try {
      return await logoutRequestOf(params, this.apps);
    } catch (error) {
      if (!(error instanceof InvalidLogoutRequest)) throw error;
      sendErrorPage(res, 400, 'Cannot sign you out here', error.message);
      return undefined;
    }
  }

  private async logOut(req: Request, res: Response, request: LogoutRequest): Promise<void> {
    const sso = await this.resolveSso.execute(this.ssoCookie.read(req));
    const frames: string[] = [];
    if (sso) {
      for (const clientId of new Set(
        [...sso.session.appSessions.values()].map((a) => a.clientId),
      )) {
        const uri = (await this.apps.findByClientId(clientId))?.frontchannelLogoutUri;
        if (uri) frames.push(this.frontChannelUrl(uri, sso.session.id));
      }
      await this.endSession.execute({
        principalId: sso.principal.id,
        sessionId: sso.session.id,
        cause: 'logout',
      });
    }
    this.ssoCookie.clear(res);
    const next =
      request.postLogoutRedirectUri === undefined
        ? undefined
        : withState(request.postLogoutRedirectUri, request.state);
    this.send(res, renderSignedOutPage(frames, next), frames);
  }

  /** OpenID Connect Front-Channel Logout 1.0: the app learns which session, from which issuer. */
  private frontChannelUrl(uri: string, sessionId: string): string {
    const url = new URL(uri);
    url.searchParams.set('iss', this.settings.publicUrl.origin);
    url.searchParams.set('sid', sessionId);
    return url.href;
  }

  private send(res: Response, html: string, frames: readonly string[]): void {
    const frameSrc = [...new Set(frames.map((f) => new URL(f).origin))];
    const directives = { ...CONTENT_SECURITY_POLICY, ...(frameSrc.length > 0 ? { frameSrc } : {}) };
    res
      .status(200)
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Content-Security-Policy', serializeCsp(directives))
      .send(html);
  }
}

function withState(uri: string, state: string | undefined): string {
  if (state === undefined) return uri;
  const url = new URL(uri);
  url.searchParams.set('state', state);
  return url.href;
}
