import { Injectable } from '@nestjs/common';
import type { ClientInfo } from '@tessera/core';
import {
  AppRegistry,
  AuditTrail,
  EndSsoSession,
  IssueAuthorizationCode,
  ResolveSsoSession,
  signInSucceeded,
  StartSsoSession,
} from '@tessera/core';
import type { Request, Response } from 'express';
import { ServiceSettings } from '../config/service-settings';
import { authorizationResponseUrl } from '../oauth/authorization-response';
import type { PendingLogin } from './pending-login';
import { PendingLogins } from './pending-login';
import { SsoCookie } from './sso-cookie';

/** Who signed in, as a sign-in method (password, upstream provider) established it. */
export interface SignedInIdentity {
  readonly realm: string;
  /** Stable within the realm: the local account id, or `<provider id>:<sub>`. */
  readonly subject: string;
  readonly profile: Readonly<Record<string, string>>;
}

/**
 * The end of every successful sign-in: a new SSO session with fresh ids (whatever session id the
 * browser had, so there is no fixation), its cookie, and the continuation of the pending
 * authorization: back to the app with a code.
 */
@Injectable()
export class SignInCompletion {
  constructor(
    private readonly startSession: StartSsoSession,
    private readonly issueCode: IssueAuthorizationCode,
    private readonly apps: AppRegistry,
    private readonly pendingLogins: PendingLogins,
    private readonly ssoCookie: SsoCookie,
    private readonly settings: ServiceSettings,
    private readonly resolveSso: ResolveSsoSession,
    private readonly endSession: EndSsoSession,
    private readonly audit: AuditTrail,
  ) {}

  async complete(
    req: Request,
    res: Response,
    pending: PendingLogin,
    identity: SignedInIdentity,
  ): Promise<void> {
    const app = await this.apps.findByClientId(pending.clientId);
    if (!app?.enabled || app.realm !== identity.realm) {
      throw new Error(
        `sign-in for realm ${identity.realm} cannot continue to client ${pending.clientId}`,
      );
    }
    const previous = await this.resolveSso.execute(this.ssoCookie.read(req));
    const client = clientInfoOf(req);
    const started = await this.startSession.execute({ ...identity, client });
    // Every sign-in method ends here, once the session exists: one record per sign-in.
    await this.audit.record(
      signInSucceeded({
        realm: identity.realm,
        subject: identity.subject,
        principalId: started.principalId,
        sessionId: started.sessionId,
        clientId: app.clientId,
        ...(client.ip === undefined ? {} : { clientIp: client.ip }),
      }),
    );
    this.ssoCookie.set(res, started.ssoToken);
    // The browser's previous sign-in (perhaps another person's, on a shared machine) ends here,
    // in every app, rather than lingering on the server until it expires.
    if (previous) {
      await this.endSession.execute({
        principalId: previous.principal.id,
        sessionId: previous.session.id,
        cause: 'logout',
      });
    }
    const code = await this.issueCode.execute({
      principalId: started.principalId,
      sessionId: started.sessionId,
      app,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
    });
    this.pendingLogins.clear(res);
    res.redirect(
      303,
      authorizationResponseUrl(pending.redirectUri, this.settings.publicUrl.origin, {
        code,
        state: pending.state,
      }),
    );
  }
}

export function clientInfoOf(req: Request): ClientInfo {
  const userAgent = req.headers['user-agent'];
  return { ip: req.ip, ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}) };
}
