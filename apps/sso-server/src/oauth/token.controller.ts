import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Clock, RegisteredApp } from '@tessera/core';
import {
  AuthenticateClient,
  ClientAuthenticationFailed,
  InvalidRequest,
  RedeemAuthorizationCode,
  UnsupportedGrantType,
} from '@tessera/core';
import { Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CLIENT } from '../admin/openapi/security-schemes';
import { CLOCK } from '../core/injection-tokens';
import { Public } from '../http/access';
import { parseBasicCredentials } from '../http/basic-credentials';
import type { SessionViewBody } from '../session-api/session-view.presenter';
import { presentSessionView } from '../session-api/session-view.presenter';
import { SessionViewSchema } from '../session-api/session-view.schema';
import { OAuthForm } from './oauth-form';
import { TokenRequest } from './token-request.dto';

export class TokenResponse {
  @ApiProperty({ description: 'The app session token, for the Tessera-Session header.' })
  access_token!: string;

  @ApiProperty({ enum: ['Tessera-Session'] }) token_type!: 'Tessera-Session';

  @ApiProperty({ type: 'integer', description: 'Seconds until the session expires if unused.' })
  expires_in!: number;

  @ApiProperty({ type: SessionViewSchema }) session!: SessionViewBody;
}

/**
 * POST /token: an authenticated app exchanges a code and its PKCE verifier for an app session
 * token and the merged session.
 */
@Controller('token')
@Public()
@ApiTags('token')
// client_secret_basic, or client_secret_post in the form (hence the empty alternative).
@ApiSecurity({})
@ApiSecurity({ [APP_CLIENT]: [] })
export class TokenController {
  constructor(
    private readonly authenticateClient: AuthenticateClient,
    private readonly redeem: RedeemAuthorizationCode,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a login code and its PKCE verifier for an app session' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: TokenRequest })
  @ApiOkResponse({ type: TokenResponse })
  async token(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @OAuthForm(TokenRequest) form: TokenRequest,
  ): Promise<TokenResponse> {
    // Tokens must never be cached (RFC 6749 section 5.1).
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    const app = await this.clientOf(req, form);
    if (form.grant_type !== 'authorization_code') {
      throw new UnsupportedGrantType('grant_type must be "authorization_code"');
    }
    const { appSessionToken, view } = await this.redeem.execute({
      code: form.code,
      app,
      redirectUri: form.redirect_uri,
      codeVerifier: form.code_verifier,
    });
    return {
      access_token: appSessionToken,
      token_type: 'Tessera-Session',
      expires_in: Math.max(0, Math.floor((view.session.expiresAt - this.clock.now()) / 1000)),
      session: presentSessionView(view),
    };
  }

  /** client_secret_basic or client_secret_post, never both (RFC 6749 section 2.3). */
  private async clientOf(req: Request, form: TokenRequest): Promise<RegisteredApp> {
    const basic = parseBasicCredentials(req.headers.authorization);
    const posted = form.client_id !== undefined || form.client_secret !== undefined;
    if (basic && posted)
      throw new InvalidRequest('use either HTTP Basic or client_id/client_secret, not both');
    const credentials =
      basic ??
      (posted ? { clientId: form.client_id ?? '', secret: form.client_secret ?? '' } : undefined);
    if (!credentials) throw new ClientAuthenticationFailed('client authentication is required');
    return this.authenticateClient.execute(credentials.clientId, credentials.secret);
  }
}
