import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as client from 'openid-client';
import type passport from 'passport';
import { classifyUpstreamError } from './classify-upstream-error';
import type { HandshakeCookie } from './handshake-cookie';
import { sameSecret } from './login-binding';
import type { ReadyProvider } from './ready-provider';
import type { Claims, UpstreamIdentity } from './upstream-identity';
import { profileIncomplete, subjectOf, upstreamIdentity } from './upstream-identity';
import { CallbackNotVerified, UpstreamLoginError } from './upstream-login-errors';

/** What the controller passes to passport.authenticate() for this strategy. */
export interface UpstreamAuthenticateOptions {
  readonly phase: 'start' | 'callback';
  /** loginBindingOf(pending.csrf): the pending login this sign-in belongs to. */
  readonly login: string;
}

/** The `info` of a failed authentication: the page to show. */
export interface UpstreamFailureInfo {
  readonly message: string;
  readonly failure: UpstreamLoginError;
}

/**
 * A passport strategy for one upstream OpenID provider, driving openid-client directly:
 * authorization code flow with PKCE S256, state and nonce, all three always sent (the stock
 * `openid-client/passport` Strategy drops state when the provider supports PKCE, and wants
 * `req.session`). The handshake lives in HandshakeCookie instead of a server-side session.
 * openid-client validates the answer: state, iss, the code exchange with the verifier, and the
 * ID token's signature, iss, aud, exp and nonce.
 */
export class UpstreamOidcStrategy implements passport.Strategy {
  readonly name: string;
  private readonly logger: Logger;

  constructor(
    readonly provider: ReadyProvider,
    readonly handshakes: HandshakeCookie,
  ) {
    this.name = `upstream:${provider.realm}/${provider.id}`;
    this.logger = new Logger(`Upstream ${provider.realm}/${provider.id}`);
  }

  authenticate(
    this: passport.StrategyCreated<UpstreamOidcStrategy>,
    req: Request,
    options: UpstreamAuthenticateOptions,
  ): void {
    const res = req.res;
    if (!res) return this.error(new Error('the upstream strategy needs an Express request'));
    if (options.phase === 'start') {
      this.authorizationUrl(res, options.login).then(
        (url) => this.redirect(url.href, 303),
        (error: unknown) => this.error(error),
      );
      return;
    }
    this.verifyCallback(req, res, options.login).then(
      (identity) => this.success(identity),
      (error: unknown) => {
        if (!(error instanceof UpstreamLoginError)) return this.error(error);
        const info: UpstreamFailureInfo = { message: error.message, failure: error };
        this.fail(info);
      },
    );
  }

  /** Starts the handshake: fresh verifier, state and nonce, kept in the handshake cookie. */
  async authorizationUrl(res: Response, login: string): Promise<URL> {
    const { config, callbackUrl, scope, realm, id } = this.provider;
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl.href,
      scope,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    await this.handshakes.issue(res, { realm, provider: id, state, nonce, codeVerifier, login });
    return url;
  }

  /** Checks the provider's answer against the handshake and returns who signed in. */
  async verifyCallback(req: Request, res: Response, login: string): Promise<UpstreamIdentity> {
    const { config, callbackUrl, realm, id, displayName } = this.provider;
    const handshake = await this.handshakes.take(req, res);
    if (!handshake) throw new CallbackNotVerified('no live handshake cookie in this browser');
    if (handshake.realm !== realm || handshake.provider !== id) {
      throw new CallbackNotVerified(`handshake was for ${handshake.realm}/${handshake.provider}`);
    }
    if (!sameSecret(handshake.login, login)) {
      throw new CallbackNotVerified('handshake was started for another pending login');
    }
    // The registered redirect URI with the provider's parameters: openid-client uses the former
    // as redirect_uri at the token endpoint, whatever Host header this request came with.
    const currentUrl = new URL(callbackUrl);
    currentUrl.search = new URL(req.originalUrl, callbackUrl).search;

    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: handshake.codeVerifier,
        expectedState: handshake.state,
        expectedNonce: handshake.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw classifyUpstreamError(error, displayName) ?? error;
    }
    const claims = tokens.claims() as Claims | undefined;
    const sub = claims && subjectOf(claims);
    if (!claims || !sub) throw new CallbackNotVerified('the ID token has no usable sub');
    return upstreamIdentity(id, sub, claims, await this.userInfo(tokens.access_token, sub, claims));
  }

  /**
   * Many providers put name and email only in UserInfo (oidc-provider does by default). A
   * failure here costs the profile, not the sign-in: the subject comes from the ID token.
   */
  private async userInfo(accessToken: string, sub: string, claims: Claims): Promise<Claims> {
    if (!profileIncomplete(claims) || !this.provider.config.serverMetadata().userinfo_endpoint) {
      return {};
    }
    try {
      return await client.fetchUserInfo(this.provider.config, accessToken, sub);
    } catch (error) {
      this.logger.warn(`UserInfo failed, signing in without it: ${(error as Error).message}`);
      return {};
    }
  }
}
