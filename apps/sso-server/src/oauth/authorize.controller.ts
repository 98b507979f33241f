import { Controller, Get, Req, Res } from '@nestjs/common';
import {
  AppRegistry,
  IssueAuthorizationCode,
  LoginRequired,
  OAuthError,
  ResolveSsoSession,
} from '@tessera/core';
import type { Request, Response } from 'express';
import { ServiceSettings } from '../config/service-settings';
import { Public } from '../http/access';
import type { AuthorizationRequest } from '../login/pending-login';
import { PendingLogins } from '../login/pending-login';
import { SsoCookie } from '../login/sso-cookie';
import { sendErrorPage } from '../pages/error-page';
import {
  AUTHORIZE_CHECKS,
  knownClient,
  registeredRedirectUri,
  UnsafeToRedirect,
} from './authorize-checks';
import type { AuthorizeQuery } from './authorize-checks';
import { authorizationResponseUrl } from './authorization-response';

/**
 * GET /authorize: the start of the login redirect. A browser with a live SSO session in the
 * app's realm goes straight back with a code; otherwise it goes to the login page, which
 * continues this same request after sign-in.
 */
@Controller('authorize')
@Public()
export class AuthorizeController {
  constructor(
    private readonly apps: AppRegistry,
    private readonly resolveSso: ResolveSsoSession,
    private readonly issueCode: IssueAuthorizationCode,
    private readonly pendingLogins: PendingLogins,
    private readonly ssoCookie: SsoCookie,
    private readonly settings: ServiceSettings,
  ) {}

  @Get()
  async authorize(@Req() req: Request, @Res() res: Response): Promise<void> {
    const query = req.query as AuthorizeQuery;
    let redirectUri: string;
    let app;
    try {
      app = await knownClient(query, this.apps);
      redirectUri = registeredRedirectUri(query, app);
    } catch (error) {
      if (!(error instanceof UnsafeToRedirect)) throw error;
      return sendErrorPage(res, 400, 'Cannot sign you in', error.message);
    }
    const state = typeof query.state === 'string' ? query.state : undefined;
    const back = (params: { code?: string; error?: string; error_description?: string }) =>
      res.redirect(
        303,
        authorizationResponseUrl(redirectUri, this.settings.publicUrl.origin, { ...params, state }),
      );

    try {
      for (const check of AUTHORIZE_CHECKS) check(query);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return back({ error: error.code, error_description: error.message });
    }
    const request: AuthorizationRequest = {
      clientId: app.clientId,
      redirectUri,
      state,
      codeChallenge: query.code_challenge as string,
      loginHint: typeof query.login_hint === 'string' ? query.login_hint : undefined,
    };

    const sso = await this.resolveSso.execute(this.ssoCookie.read(req));
    if (sso && sso.principal.realm === app.realm && query.prompt !== 'login') {
      try {
        const code = await this.issueCode.execute({
          principalId: sso.principal.id,
          sessionId: sso.session.id,
          app,
          redirectUri,
          codeChallenge: request.codeChallenge,
        });
        return back({ code });
      } catch (error) {
        // The session ended between reading and writing: sign in again like anyone else.
        if (!(error instanceof LoginRequired)) throw error;
      }
    }
    if (query.prompt === 'none') {
      const required = new LoginRequired();
      return back({ error: required.code, error_description: required.message });
    }
    await this.pendingLogins.start(res, request);
    res.redirect(303, '/login');
  }
}
