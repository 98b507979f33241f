import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import passport from 'passport';
import { HandshakeCookie } from './handshake-cookie';
import type { ReadyProvider } from './ready-provider';
import type { UpstreamIdentity } from './upstream-identity';
import type { UpstreamAuthenticateOptions, UpstreamFailureInfo } from './upstream-oidc.strategy';
import { UpstreamOidcStrategy } from './upstream-oidc.strategy';

export type PassportOutcome =
  | { readonly kind: 'redirected' }
  | { readonly kind: 'success'; readonly identity: UpstreamIdentity }
  | { readonly kind: 'failure'; readonly info: UpstreamFailureInfo | undefined };

/**
 * Runs the upstream strategies through passport, as a promise. A private Authenticator (not
 * passport's global one) with `session: false`: passport's login session is not used; the
 * controller hands the identity to SignInCompletion, which starts Tessera's own SSO session.
 */
@Injectable()
export class UpstreamPassport {
  private readonly authenticator = new passport.Passport();
  /** One strategy per ready provider; a rediscovered provider gets a new one. */
  private readonly strategies = new WeakMap<ReadyProvider, string>();

  constructor(private readonly handshakes: HandshakeCookie) {}

  authenticate(
    provider: ReadyProvider,
    req: Request,
    res: Response,
    options: UpstreamAuthenticateOptions,
  ): Promise<PassportOutcome> {
    const name = this.strategyFor(provider);
    return new Promise<PassportOutcome>((resolve, reject) => {
      // A redirect (the start phase) ends the response inside passport, without a callback;
      // 'close' also covers a browser that went away meanwhile.
      const redirected = () => resolve({ kind: 'redirected' });
      res.once('finish', redirected).once('close', redirected);
      const settle = (settled: () => void) => {
        res.off('finish', redirected).off('close', redirected);
        settled();
      };
      const handler = this.authenticator.authenticate(
        name,
        { ...options, session: false },
        (error: unknown, identity: UpstreamIdentity | false, info: unknown) =>
          settle(() => {
            if (error) reject(asError(error));
            else if (identity) resolve({ kind: 'success', identity });
            else resolve({ kind: 'failure', info: info as UpstreamFailureInfo | undefined });
          }),
      ) as (req: Request, res: Response, next: (error?: unknown) => void) => void;
      handler(req, res, (error?: unknown) =>
        settle(() =>
          error ? reject(asError(error)) : resolve({ kind: 'failure', info: undefined }),
        ),
      );
    });
  }

  private strategyFor(provider: ReadyProvider): string {
    let name = this.strategies.get(provider);
    if (!name) {
      const strategy = new UpstreamOidcStrategy(provider, this.handshakes);
      this.authenticator.use(strategy.name, strategy);
      this.strategies.set(provider, strategy.name);
      name = strategy.name;
    }
    return name;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(`passport failed: ${JSON.stringify(error)}`);
}
