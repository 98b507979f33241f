import express from 'express';
import type { JWK, JWTPayload } from 'jose';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { BackchannelLogoutOptions } from './backchannel-logout';
import { tesseraBackchannelLogout } from './backchannel-logout';
import { BACKCHANNEL_LOGOUT_EVENT } from './verify-logout-token';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const ISSUER = 'http://sso.example.test';
const now = () => Math.floor(Date.now() / 1000);

/** The fixture: keys made here, a JWKS served from loopback (counting fetches), the handler on Express. */
describe('tesseraBackchannelLogout', () => {
  const keys = new Map<string, { privateKey: PrivateKey; jwk: JWK }>();
  let published: string[] = [];
  let jwksFetches = 0;
  let jwksServer: Server;
  let jwksUrl: string;
  const servers: Server[] = [];

  async function addKey(kid: string): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    keys.set(kid, { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } });
  }

  beforeAll(async () => {
    await Promise.all(['k1', 'k2', 'k3', 'other'].map(addKey));
    jwksServer = createServer((_req, res) => {
      jwksFetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published.map((kid) => keys.get(kid)!.jwk) }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
  });

  afterAll(async () => {
    await Promise.all(
      [jwksServer, ...servers].map((s) => new Promise((resolve) => s.close(resolve))),
    );
  });

  beforeEach(() => {
    published = ['k1'];
    jwksFetches = 0;
  });

  function client() {
    return { clientId: 'shop', forgetSession: jest.fn(), forgetSubject: jest.fn() };
  }

  async function endpoint(options: Partial<BackchannelLogoutOptions> = {}) {
    const stub = client();
    const onLogout = jest.fn();
    const app = express();
    app.post(
      '/bc',
      tesseraBackchannelLogout({ client: stub, issuer: ISSUER, jwksUrl, onLogout, ...options }),
    );
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bc`;
    const post = async (body: string, type = 'application/x-www-form-urlencoded') => {
      const answer = await request(url, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      const text = await answer.body.text();
      return {
        status: answer.statusCode,
        cacheControl: answer.headers['cache-control'],
        reason: text ? (JSON.parse(text) as { error_description: string }).error_description : '',
      };
    };
    const deliver = (token: string) => post(`logout_token=${encodeURIComponent(token)}`);
    return { stub, onLogout, post, deliver };
  }

  interface TokenOptions {
    kid?: string;
    signWith?: string;
    typ?: string;
    claims?: JWTPayload;
    omit?: string[];
  }

  function token(options: TokenOptions = {}): Promise<string> {
    const kid = options.kid ?? 'k1';
    const claims: JWTPayload = {
      iss: ISSUER,
      aud: 'shop',
      iat: now(),
      exp: now() + 120,
      jti: `jti-${Math.random()}`,
      sid: 'sid-1',
      sub: 'ada',
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
      ...options.claims,
    };
    for (const name of options.omit ?? []) delete claims[name];
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid, typ: options.typ ?? 'logout+jwt' })
      .sign(keys.get(options.signWith ?? kid)!.privateKey);
  }

  it('drops the session named by sid and answers 200 no-store', async () => {
    const { stub, onLogout, deliver } = await endpoint();
    const answer = await deliver(await token());
    expect(answer).toEqual({ status: 200, cacheControl: 'no-store', reason: '' });
    expect(stub.forgetSession).toHaveBeenCalledWith('sid-1');
    expect(stub.forgetSubject).not.toHaveBeenCalled();
    expect(onLogout).toHaveBeenCalledWith(expect.objectContaining({ sid: 'sid-1', sub: 'ada' }));
  });

  it('accepts a replayed jti with 200 and does nothing the second time', async () => {
    const { stub, onLogout, deliver } = await endpoint();
    const once = await token();
    expect((await deliver(once)).status).toBe(200);
    expect((await deliver(once)).status).toBe(200);
    expect(stub.forgetSession).toHaveBeenCalledTimes(1);
    expect(onLogout).toHaveBeenCalledTimes(1);
  });

  it('drops every session of the subject for a token without sid', async () => {
    const { stub, deliver } = await endpoint();
    expect((await deliver(await token({ omit: ['sid'] }))).status).toBe(200);
    expect(stub.forgetSubject).toHaveBeenCalledWith('ada');
    expect(stub.forgetSession).not.toHaveBeenCalled();
  });

  it('takes iat and exp within the clock tolerance', async () => {
    const { deliver } = await endpoint({ clockToleranceSeconds: 30 });
    const late = await token({ claims: { iat: now() - 200, exp: now() - 10 } });
    expect((await deliver(late)).status).toBe(200);
    const early = await token({ claims: { iat: now() + 10 } });
    expect((await deliver(early)).status).toBe(200);
  });

  it.each<[string, TokenOptions, string]>([
    ['a bad signature', { signWith: 'other' }, 'bad signature'],
    ['a wrong audience', { claims: { aud: 'portal' } }, 'aud is not valid'],
    ['a wrong issuer', { claims: { iss: 'http://evil.example' } }, 'iss is not valid'],
    ['an expired token', { claims: { iat: now() - 600, exp: now() - 60 } }, 'token expired'],
    ['an iat in the future', { claims: { iat: now() + 120 } }, 'iat is in the future'],
    ['missing events', { omit: ['events'] }, 'events does not hold the back-channel logout event'],
    [
      'events without the logout event',
      { claims: { events: { 'urn:other': {} } } },
      'events does not hold the back-channel logout event',
    ],
    ['a nonce', { claims: { nonce: 'n' } }, 'nonce is not allowed'],
    ['a wrong typ', { typ: 'JWT' }, 'typ is not valid'],
    ['neither sid nor sub', { omit: ['sid', 'sub'] }, 'neither sid nor sub'],
    ['no jti', { omit: ['jti'] }, 'jti is not valid'],
    ['no exp', { omit: ['exp'] }, 'exp is not valid'],
  ])('refuses %s with 400 and a reason, dropping nothing', async (_name, options, reason) => {
    const { stub, onLogout, deliver } = await endpoint();
    const answer = await deliver(await token(options));
    expect(answer).toEqual({ status: 400, cacheControl: 'no-store', reason });
    expect(stub.forgetSession).not.toHaveBeenCalled();
    expect(stub.forgetSubject).not.toHaveBeenCalled();
    expect(onLogout).not.toHaveBeenCalled();
  });

  it('refuses a request that is not one form-encoded logout_token', async () => {
    const { post } = await endpoint();
    expect(await post('{"logout_token":"x"}', 'application/json')).toMatchObject({
      status: 400,
      reason: 'the body must be application/x-www-form-urlencoded',
    });
    expect((await post('logout_token=a&logout_token=b')).reason).toBe(
      'exactly one logout_token is required',
    );
    expect((await post(`logout_token=${'a'.repeat(20_000)}`)).reason).toBe('the body is too large');
    expect((await post('logout_token=not.a.jwt')).reason).toBe('malformed token');
  });

  it('refetches the key set once for an unknown kid, then serves it from the cache', async () => {
    const { stub, deliver } = await endpoint({ jwksCooldownMs: 0 });
    expect((await deliver(await token())).status).toBe(200);
    expect(jwksFetches).toBe(1);
    published = ['k1', 'k2']; // the service rotated its keys
    expect((await deliver(await token({ kid: 'k2' }))).status).toBe(200);
    expect(jwksFetches).toBe(2);
    expect((await deliver(await token({ kid: 'k2' }))).status).toBe(200);
    expect((await deliver(await token({ kid: 'k1' }))).status).toBe(200);
    expect(jwksFetches).toBe(2);
    expect(stub.forgetSession).toHaveBeenCalledTimes(4);
  });

  it('does not refetch for unknown kids within the cooldown', async () => {
    const { deliver } = await endpoint({ jwksCooldownMs: 60_000 });
    expect((await deliver(await token())).status).toBe(200);
    expect((await deliver(await token({ kid: 'k3' }))).reason).toBe('unknown signing key');
    expect((await deliver(await token({ kid: 'k3' }))).reason).toBe('unknown signing key');
    expect(jwksFetches).toBe(1);
  });

  it('answers 503 when the key set cannot be fetched, so that the service retries', async () => {
    const { stub, deliver } = await endpoint({ jwksUrl: 'http://127.0.0.1:1/jwks' });
    expect(await deliver(await token())).toEqual({
      status: 503,
      cacheControl: 'no-store',
      reason: 'signing keys unavailable',
    });
    expect(stub.forgetSession).not.toHaveBeenCalled();
  });

  it('acts again on a redelivery when the app hook failed the first time', async () => {
    const failing = jest.fn().mockRejectedValueOnce(new Error('db down'));
    const stub = client();
    const handler = tesseraBackchannelLogout({
      client: stub,
      issuer: ISSUER,
      jwksUrl,
      onLogout: failing,
    });
    const once = await token();
    await expect(handler.receive(once)).rejects.toThrow('db down');
    await expect(handler.receive(once)).resolves.toMatchObject({ replayed: false });
    await expect(handler.receive(once)).resolves.toMatchObject({ replayed: true });
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('makes a duplicate that arrives while the first is acting share its outcome', async () => {
    let fail!: (error: Error) => void;
    const slow = jest.fn(() => new Promise<void>((_, reject) => (fail = reject)));
    const handler = tesseraBackchannelLogout({
      client: client(),
      issuer: ISSUER,
      jwksUrl,
      onLogout: slow,
    });
    const once = await token();
    const first = handler.receive(once);
    while (slow.mock.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const duplicate = handler.receive(once);
    // The duplicate verifies its token (a few ms; the keys are cached) and then waits on the first.
    await new Promise((resolve) => setTimeout(resolve, 200));
    fail(new Error('db down'));
    await expect(first).rejects.toThrow('db down');
    // Not a 200: the service retries, and the retry acts again.
    await expect(duplicate).rejects.toThrow('db down');
    expect(slow).toHaveBeenCalledTimes(1);
  });
});
