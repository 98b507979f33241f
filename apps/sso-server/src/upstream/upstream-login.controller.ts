import { Controller, Get, Logger, Param, Req, Res } from '@nestjs/common';
import { AppRegistry, AuditTrail } from '@tessera/core';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { Public } from '../http/access';
import type { PendingLogin } from '../login/pending-login';
import { PendingLogins } from '../login/pending-login';
import { SignInCompletion } from '../login/sign-in-completion';
import { loginBindingOf } from './login-binding';
import type { ReadyProvider } from './ready-provider';
import { csrfMatches, pendingLoginInRealm, pendingLoginPresent } from './start-checks';
import { sendUnexpectedErrorPage, sendUpstreamErrorPage } from './upstream-error-page';
import {
  CallbackNotVerified,
  ProviderUnavailable,
  UnknownProvider,
  UpstreamLoginError,
} from './upstream-login-errors';
import { UpstreamPassport } from './upstream-passport';
import { UpstreamProviders } from './upstream-providers';
import { upstreamSignInFailed } from './upstream-sign-in-failure';

/**
 * Sign-in through an upstream OpenID provider, for the browser's pending login:
 * GET /login/upstream/:realm/:provider?csrf=... redirects to the provider, and
 * GET /login/upstream/:realm/:provider/callback completes the sign-in and continues the pending
 * authorization (back to the app with a code). Failures are shown on a page at the service.
 */
@Controller('login/upstream')
@Public()
export class UpstreamLoginController {
  private readonly logger = new Logger('UpstreamLogin');

  constructor(
    private readonly providers: UpstreamProviders,
    private readonly passport: UpstreamPassport,
    private readonly pendingLogins: PendingLogins,
    private readonly completion: SignInCompletion,
    private readonly apps: AppRegistry,
    private readonly audit: AuditTrail,
  ) {}

  @Get(':realm/:provider')
  async start(
    @Param('realm') realm: string,
    @Param('provider') providerId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.answer(res, undefined, async () => {
      const { provider, pending } = await this.handshake('start', realm, providerId, req, res);
      const outcome = await this.passport.authenticate(provider, req, res, {
        phase: 'start',
        login: loginBindingOf(pending.csrf),
      });
      if (outcome.kind !== 'redirected') throw new Error(`start phase ended in ${outcome.kind}`);
    });
  }

  @Get(':realm/:provider/callback')
  async callback(
    @Param('realm') realm: string,
    @Param('provider') providerId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const failed = (error: unknown) =>
      this.audit.record(upstreamSignInFailed(realm, providerId, req.ip, error));
    await this.answer(res, failed, async () => {
      const { provider, pending } = await this.handshake('callback', realm, providerId, req, res);
      const outcome = await this.passport.authenticate(provider, req, res, {
        phase: 'callback',
        login: loginBindingOf(pending.csrf),
      });
      if (outcome.kind === 'redirected') return; // the browser went away
      if (outcome.kind === 'failure') {
        throw outcome.info?.failure ?? new CallbackNotVerified('passport failed without a reason');
      }
      const { subject, profile } = outcome.identity;
      await this.completion.complete(req, res, pending, { realm, subject, profile });
      this.logger.log(`signed in ${subject} in realm ${realm} for client ${pending.clientId}`);
    });
  }

  /**
   * What both ends of the handshake check, in order: a ready provider, this browser's pending
   * login, its CSRF token (only at the start: the callback is bound by the handshake cookie),
   * and that the login belongs to the realm.
   */
  private async handshake(
    phase: 'start' | 'callback',
    realm: string,
    providerId: string,
    req: Request,
    res: Response,
  ): Promise<{ provider: ReadyProvider; pending: PendingLogin }> {
    const provider = this.readyProvider(realm, providerId);
    const pending = pendingLoginPresent(await this.pendingLogins.read(req));
    if (phase === 'start') csrfMatches(req.query.csrf, pending);
    await pendingLoginInRealm(pending, realm, this.apps);
    res.setHeader('Cache-Control', 'no-store');
    return { provider, pending };
  }

  private readyProvider(realm: string, providerId: string): ReadyProvider {
    const provider = this.providers.find(realm, providerId);
    if (!provider) throw new UnknownProvider();
    return provider;
  }

  /**
   * The one place that turns a failed sign-in into a page (never JSON, never a stack trace).
   * `failed` records a failure of the callback, where an upstream sign-in succeeds or fails.
   */
  private async answer(
    res: Response,
    failed: ((error: unknown) => Promise<void>) | undefined,
    work: () => Promise<void>,
  ): Promise<void> {
    try {
      await work();
    } catch (error) {
      await failed?.(error).catch((auditError: unknown) =>
        this.logger.error(`recording a failed upstream sign-in failed: ${String(auditError)}`),
      );
      if (error instanceof UpstreamLoginError) {
        const reason =
          error instanceof CallbackNotVerified || error instanceof ProviderUnavailable
            ? `: ${error.reason}`
            : '';
        this.logger.warn(`upstream sign-in refused (${error.constructor.name}${reason})`);
        return sendUpstreamErrorPage(res, error);
      }
      const reference = randomUUID();
      this.logger.error(
        `unexpected upstream sign-in error ${reference}`,
        error instanceof Error ? error.stack : String(error),
      );
      sendUnexpectedErrorPage(res, reference);
    }
  }
}
