import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import {
  AppRegistry,
  InvalidCredentials,
  SignInWithPassword,
  TooManyLoginAttempts,
  TooManySessions,
} from '@tessera/core';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../http/access';
import { CONTENT_SECURITY_POLICY } from '../http/configure-app';
import { serializeCsp } from '../http/csp';
import type { PendingLogin } from '../login/pending-login';
import { PendingLogins } from '../login/pending-login';
import { SignInCompletion } from '../login/sign-in-completion';
import { sendErrorPage } from '../pages/error-page';
import { UpstreamProviders } from '../upstream/upstream-providers';
import { renderLoginPage } from './login-page';

interface LoginForm {
  readonly username: string;
  readonly password: string;
  readonly csrf: string;
}

/** GET /login shows the sign-in form for the browser's pending login; POST /login signs in with a password. */
@Controller('login')
@Public()
export class LoginPageController {
  constructor(
    private readonly pendingLogins: PendingLogins,
    private readonly signInWithPassword: SignInWithPassword,
    private readonly completion: SignInCompletion,
    private readonly upstream: UpstreamProviders,
    private readonly apps: AppRegistry,
  ) {}

  @Get()
  async show(@Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = await this.pendingLogins.read(req);
    if (!pending) return noLoginInProgress(res);
    await this.render(res, 200, pending, { username: pending.loginHint });
  }

  @Post()
  async submit(@Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = await this.pendingLogins.read(req);
    if (!pending) return noLoginInProgress(res);
    const form = loginFormOf(req.body);
    if (!form)
      return sendErrorPage(res, 400, 'Cannot sign you in', 'The sign-in form was incomplete.');
    if (!sameSecret(form.csrf, pending.csrf)) {
      return sendErrorPage(
        res,
        403,
        'Cannot sign you in',
        'The form did not come from this sign-in page, or it expired. Go back to the application and try again.',
      );
    }
    const app = await this.apps.findByClientId(pending.clientId);
    if (!app?.enabled)
      return sendErrorPage(
        res,
        400,
        'Cannot sign you in',
        'The application is no longer registered.',
      );
    try {
      const { subject, profile } = await this.signInWithPassword.execute({
        realm: app.realm,
        username: form.username,
        password: form.password,
        clientIp: req.ip,
      });
      await this.completion.complete(req, res, pending, { realm: app.realm, subject, profile });
    } catch (error) {
      if (error instanceof InvalidCredentials) {
        return this.render(res, 401, pending, {
          username: form.username,
          error: 'The username or password is not correct.',
        });
      }
      if (error instanceof TooManyLoginAttempts) {
        res.setHeader('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
        return this.render(res, 429, pending, {
          username: form.username,
          error: `Too many failed attempts. Try again in ${Math.ceil(error.retryAfterMs / 1000)} seconds.`,
        });
      }
      if (error instanceof TooManySessions) {
        // The realm's `invalidate-after` policy: the password was right, but no new device may join.
        return this.render(res, 409, pending, {
          username: form.username,
          error: `You are already signed in on ${error.maxSessions} ${error.maxSessions === 1 ? 'device' : 'devices'}, the most allowed. Sign out on one of them, then try again.`,
        });
      }
      throw error;
    }
  }

  private async render(
    res: Response,
    status: number,
    pending: PendingLogin,
    extra: { username?: string; error?: string },
  ) {
    const app = await this.apps.findByClientId(pending.clientId);
    const providers = app
      ? this.upstream.listReady(app.realm).map((p) => ({
          displayName: p.displayName,
          href: `${p.startPath}?csrf=${encodeURIComponent(pending.csrf)}`,
        }))
      : [];
    // Browsers apply form-action to the redirect that follows the post: allow the one app.
    const directives = {
      ...CONTENT_SECURITY_POLICY,
      formAction: ["'self'", new URL(pending.redirectUri).origin],
    };
    res
      .status(status)
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      .setHeader('Content-Security-Policy', serializeCsp(directives))
      .send(
        renderLoginPage({ appName: pending.clientId, csrf: pending.csrf, providers, ...extra }),
      );
  }
}

function noLoginInProgress(res: Response): void {
  sendErrorPage(
    res,
    400,
    'No sign-in in progress',
    'Start from the application you want to use; it will bring you here.',
  );
}

function loginFormOf(body: unknown): LoginForm | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { username, password, csrf } = body as Record<string, unknown>;
  if (typeof username !== 'string' || typeof password !== 'string' || typeof csrf !== 'string')
    return undefined;
  if (username.length > 256 || password.length > 1024) return undefined;
  return { username, password, csrf };
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
