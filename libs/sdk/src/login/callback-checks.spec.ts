import { checkCallback, sameIssuer } from './callback-checks';
import { LoginError } from './login-error';
import type { PendingLogin } from './pending-login';

const STATE = 'S'.repeat(43);
const ISSUER = 'http://sso.example.test:8080';
const pending: PendingLogin = {
  state: STATE,
  verifier: 'V'.repeat(43),
  returnTo: '/cart',
  expiresAt: Infinity,
  prompt: 'none',
};

/** `null`: no pending login in this browser (a default parameter would swallow `undefined`). */
function failure(query: string, login: PendingLogin | null = pending): LoginError {
  try {
    checkCallback({
      params: new URLSearchParams(query),
      pending: login ?? undefined,
      issuer: ISSUER,
    });
  } catch (error) {
    expect(error).toBeInstanceOf(LoginError);
    return error as LoginError;
  }
  throw new Error(`the callback ${query} passed`);
}

const iss = encodeURIComponent(ISSUER);

describe('checkCallback', () => {
  it('passes a genuine answer and hands back its code and pending login', () => {
    const result = checkCallback({
      params: new URLSearchParams(`code=c0de&state=${STATE}&iss=${iss}`),
      pending,
      issuer: ISSUER,
    });
    expect(result).toEqual({ code: 'c0de', pending });
  });

  it('refuses a state this browser did not start, before looking at anything else', () => {
    expect(failure(`code=c&state=${'X'.repeat(43)}&iss=${iss}`)).toMatchObject({
      status: 400,
      code: 'state_mismatch',
    });
    expect(failure(`code=c&state=${STATE}&iss=${iss}`, null).code).toBe('state_mismatch');
    expect(failure(`error=login_required&state=${STATE}&iss=evil`, null).code).toBe(
      'state_mismatch',
    );
  });

  it('refuses missing or repeated parameters', () => {
    expect(failure(`code=c&iss=${iss}`).code).toBe('invalid_callback');
    expect(failure(`code=c&code=d&state=${STATE}&iss=${iss}`).code).toBe('invalid_callback');
    expect(failure(`code=c&state=${STATE}&state=${STATE}&iss=${iss}`).code).toBe(
      'invalid_callback',
    );
    expect(failure(`state=${STATE}&iss=${iss}`)).toMatchObject({
      code: 'invalid_callback',
      returnTo: '/cart',
    });
  });

  it('refuses an answer from another issuer, or with none (RFC 9207)', () => {
    expect(failure(`code=c&state=${STATE}&iss=https%3A%2F%2Fevil.example`).code).toBe(
      'issuer_mismatch',
    );
    expect(failure(`code=c&state=${STATE}`).code).toBe('issuer_mismatch');
    expect(failure(`error=login_required&state=${STATE}&iss=https%3A%2F%2Fevil.example`).code).toBe(
      'issuer_mismatch',
    );
  });

  it("turns the service's error into a LoginError that keeps the login's context", () => {
    expect(
      failure(`error=login_required&error_description=nobody%0Ahere&state=${STATE}&iss=${iss}`),
    ).toMatchObject({
      status: 401,
      code: 'login_required',
      message: 'nobodyhere',
      returnTo: '/cart',
      prompt: 'none',
    });
    expect(failure(`error=access_denied&state=${STATE}&iss=${iss}`).status).toBe(403);
    expect(failure(`error=%3Cscript%3E&state=${STATE}&iss=${iss}`).code).toBe('invalid_response');
  });
});

describe('sameIssuer', () => {
  it('treats a trailing slash and a default port as the same issuer, nothing else', () => {
    expect(sameIssuer('https://sso.example.com/', 'https://sso.example.com')).toBe(true);
    expect(sameIssuer('https://sso.example.com:443', 'https://sso.example.com')).toBe(true);
    expect(sameIssuer('http://sso.example.com', 'https://sso.example.com')).toBe(false);
    expect(sameIssuer('https://sso.example.com:8443', 'https://sso.example.com')).toBe(false);
    expect(sameIssuer('https://sso.example.com.evil', 'https://sso.example.com')).toBe(false);
    expect(sameIssuer('https://sso.example.com/tenant', 'https://sso.example.com')).toBe(false);
    expect(sameIssuer('not a url', 'https://sso.example.com')).toBe(false);
  });
});
