import type { AuditEntry } from './audit-trail';

/** The sign-in method behind a subject: `local:<id>` is a password, `<provider>:<sub>` upstream. */
export function signInMethodOf(subject: string): Record<string, string> {
  const provider = subject.slice(0, subject.indexOf(':'));
  return provider === 'local' ? { method: 'password' } : { method: 'upstream', provider };
}

export interface SignInFacts {
  readonly realm: string;
  readonly subject: string;
  readonly principalId: string;
  readonly sessionId: string;
  readonly clientId: string;
  readonly clientIp?: string;
}

/** `login.succeeded`: a session was started for the signed-in user. */
export function signInSucceeded(facts: SignInFacts): AuditEntry {
  return {
    type: 'login.succeeded',
    realm: facts.realm,
    subject: facts.subject,
    principalId: facts.principalId,
    sessionId: facts.sessionId,
    clientId: facts.clientId,
    ...(facts.clientIp === undefined ? {} : { clientIp: facts.clientIp }),
    details: signInMethodOf(facts.subject),
  };
}
