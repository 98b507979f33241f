import { hash } from 'node:crypto';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import {
  ClientAuthenticationError,
  InvalidGrantError,
  InvalidSessionError,
  ServiceUnavailableError,
  TesseraError,
  errorFromResponse,
} from './errors';
import { SessionCache } from './session-cache';
import type { JsonValue, SessionView } from './session-view';
import { parseSessionView } from './session-view';
import type { ExchangedSession } from './token-response';
import { parseTokenResponse } from './token-response';

export interface TesseraClientOptions {
  /** Where the service is, e.g. `https://sso.example.com` (a path prefix is kept). */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Serve a cached copy without asking when it was confirmed less than this long ago. Default 0: always revalidate. */
  readonly maxStalenessMs?: number;
  /** Most sessions kept in memory. Default 10 000. */
  readonly cacheSize?: number;
  /** Most keep-alive connections to the service. Default: no limit. */
  readonly connections?: number;
  /** How long to wait for the response headers, then between body chunks. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Clock for the staleness window, in ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** One write or removal, with the time the app made it (ms since the epoch, an integer). */
export type AttributeOperation =
  | { readonly op: 'set'; readonly key: string; readonly value: JsonValue; readonly time: number }
  | { readonly op: 'remove'; readonly key: string; readonly time: number };

export interface PatchOptions {
  /** Only apply the batch if the session is still at this version (`SessionView.version`, unquoted). */
  readonly ifMatch?: string;
}

/** What the per-request layer needs from a client; the middleware takes this, so tests can stub it. */
export interface SessionSource {
  getSession(token: string): Promise<SessionView>;
  patchSession(
    token: string,
    operations: readonly AttributeOperation[],
    options?: PatchOptions,
  ): Promise<SessionView>;
}

/** What the login callback sends to `POST /token` (RFC 6749 4.1.3, with the RFC 7636 verifier). */
export interface CodeExchange {
  readonly code: string;
  /** Exactly the redirect URI the login was started with. */
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

const SESSION_PATH = '/api/v1/session';
const TOKEN_PATH = '/token';
// A token is opaque to the SDK, but anything outside visible ASCII cannot be a real one (and is not a valid header value).
const PLAUSIBLE_TOKEN = /^[\x21-\x7e]{1,4096}$/;

/**
 * Talks to the session API over one keep-alive connection pool and keeps a bounded cache of the
 * sessions it has seen, so an unchanged session costs a 304 with no body.
 */
export class TesseraClient implements SessionSource {
  /** The app's client id (the login redirect names it). */
  readonly clientId: string;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #tokenPath: string;
  readonly #authorization: string;
  readonly #timeoutMs: number;
  readonly #maxStalenessMs: number;
  readonly #now: () => number;
  readonly #cache: SessionCache;

  constructor(options: TesseraClientOptions) {
    const url = new URL(options.baseUrl);
    // Basic auth has no escaping for ':' in the user part, so such an id could never authenticate.
    if (options.clientId.includes(':')) throw new TypeError('clientId must not contain ":"');
    this.clientId = options.clientId;
    const prefix = url.pathname.replace(/\/+$/, '');
    this.#path = prefix + SESSION_PATH;
    this.#tokenPath = prefix + TOKEN_PATH;
    // RFC 6749 section 2.3.1: both parts are form-urlencoded before base64, as the service expects.
    const credentials = `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`;
    this.#authorization = 'Basic ' + Buffer.from(credentials).toString('base64');
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#maxStalenessMs = options.maxStalenessMs ?? 0;
    this.#now = options.now ?? Date.now;
    this.#cache = new SessionCache(options.cacheSize ?? 10_000);
    this.#pool = new Pool(url.origin, { connections: options.connections ?? null });
  }

  /** The merged session for an app session token; revalidates a cached copy with its ETag. */
  async getSession(token: string): Promise<SessionView> {
    const digest = digestOf(token);
    const cached = this.#cache.get(digest);
    const now = this.#now();
    const generation = this.#cache.generation;
    if (cached !== undefined && now < cached.expiresAtMs) {
      const age = now - cached.validatedAt;
      // A negative age means the clock went back: do not let that stretch the window.
      if (age >= 0 && age < this.#maxStalenessMs) return cached.view;
    }

    const response = await this.#sendWithToken(
      'GET',
      cached === undefined
        ? { authorization: this.#authorization, 'tessera-session': token }
        : {
            authorization: this.#authorization,
            'tessera-session': token,
            'if-none-match': cached.etag,
          },
      null,
    );
    if (response.statusCode === 304 && cached !== undefined) {
      await response.body.dump();
      // The start of the call, not its end: the service's answer may be that old.
      cached.validatedAt = now;
      return cached.view;
    }
    return this.#accept(response, digest, now, generation);
  }

  /** Sends a batch of writes; the answer is the merged session after them, which refreshes the cache. */
  async patchSession(
    token: string,
    operations: readonly AttributeOperation[],
    options: PatchOptions = {},
  ): Promise<SessionView> {
    const digest = digestOf(token);
    const now = this.#now();
    const generation = this.#cache.generation;
    const headers: Record<string, string> = {
      authorization: this.#authorization,
      'tessera-session': token,
      'content-type': 'application/json',
    };
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    const response = await this.#sendWithToken('PATCH', headers, JSON.stringify({ operations }));
    return this.#accept(response, digest, now, generation);
  }

  /**
   * Redeems a login code for an app session (`POST /token`). The answer carries the merged session,
   * which is cached, so the first page after the login revalidates it with a 304 at most.
   */
  async exchangeCode(exchange: CodeExchange): Promise<ExchangedSession> {
    // A code we could not send intact cannot be genuine: refuse it without a round trip.
    if (!PLAUSIBLE_TOKEN.test(exchange.code)) throw new InvalidGrantError('the code is malformed');
    const now = this.#now();
    const generation = this.#cache.generation;
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: exchange.code,
      redirect_uri: exchange.redirectUri,
      code_verifier: exchange.codeVerifier,
    }).toString();
    const response = await this.#send(
      'POST',
      this.#tokenPath,
      {
        authorization: this.#authorization,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body,
    );
    const json = await readJson(response);
    if (response.statusCode !== 200) {
      const error = errorFromResponse(response.statusCode, json);
      // As on the session API: with its credentials refused, no cached session can be confirmed.
      if (error instanceof ClientAuthenticationError) this.#cache.clear();
      throw error;
    }
    const exchanged = parseTokenResponse(json);
    if (this.#cache.generation === generation) {
      const view = exchanged.session;
      this.#cache.set(digestOf(exchanged.appSessionToken), {
        view,
        // The session API's ETag is the version in double quotes (docs/session-api.md).
        etag: `"${view.version}"`,
        expiresAtMs: Date.parse(view.session.expiresAt),
        validatedAt: now,
      });
    }
    return exchanged;
  }

  /** Drops the cached copy for a token (the app's user logged out locally). */
  forget(token: string): void {
    this.#cache.delete(digestOf(token));
  }

  /** Drops every cached copy of a session; the back-channel logout handler calls this. */
  forgetSession(sessionId: string): void {
    this.#cache.deleteSession(sessionId);
  }

  /** Drops every cached session of a subject (a logout token that names only `sub`). */
  forgetSubject(subject: string): void {
    this.#cache.deleteSubject(subject);
  }

  /**
   * Ends the whole SSO session at the service (`DELETE /api/v1/session`): every app's token for it
   * stops working, and the service notifies the other apps over the back channel. Resolves also
   * when the session was already over (logging out twice is not an error). Local state for the
   * session is dropped in every case, so a failed call still leaves nothing here to serve.
   */
  async endSession(token: string): Promise<void> {
    const digest = digestOf(token);
    // Known only if cached: then the app's other tokens for this session go too.
    const sessionId = this.#cache.get(digest)?.view.session.id;
    try {
      const response = await this.#sendWithToken(
        'DELETE',
        { authorization: this.#authorization, 'tessera-session': token },
        null,
      );
      if (response.statusCode === 204 || response.statusCode === 200) {
        await response.body.dump();
        return;
      }
      const error = errorFromResponse(response.statusCode, await readJson(response));
      if (error instanceof InvalidSessionError) return;
      this.#clearOn(error, digest);
      throw error;
    } catch (error) {
      if (error instanceof InvalidSessionError) return;
      throw error;
    } finally {
      this.#cache.delete(digest);
      if (sessionId !== undefined) this.#cache.deleteSession(sessionId);
    }
  }

  /** Closes the keep-alive connections once in-flight calls finish. */
  async close(): Promise<void> {
    await this.#pool.close();
  }

  #sendWithToken(
    method: 'GET' | 'PATCH' | 'DELETE',
    headers: Record<string, string>,
    body: string | null,
  ): Promise<Dispatcher.ResponseData> {
    // A garbage cookie is refused here rather than costing a round trip (or an undici header error).
    if (!PLAUSIBLE_TOKEN.test(headers['tessera-session'])) {
      return Promise.reject(new InvalidSessionError());
    }
    return this.#send(method, this.#path, headers, body);
  }

  async #send(
    method: 'GET' | 'PATCH' | 'POST' | 'DELETE',
    path: string,
    headers: Record<string, string>,
    body: string | null,
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await this.#pool.request({
        method,
        path,
        headers,
        body,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
    } catch (cause) {
      throw new ServiceUnavailableError(
        `cannot reach the session service: ${(cause as Error).message}`,
        0,
        'service_unavailable',
        { cause },
      );
    }
  }

  /** Turns a response into a cached view, or into a typed error that also clears what it invalidates. */
  async #accept(
    response: Dispatcher.ResponseData,
    digest: string,
    validatedAt: number,
    generation: number,
  ): Promise<SessionView> {
    const { statusCode } = response;
    const body = await readJson(response);
    if (statusCode === 200) {
      const view = parseSessionView(body);
      if (this.#cache.generation === generation) {
        const etag = response.headers.etag;
        this.#cache.set(digest, {
          view,
          etag: typeof etag === 'string' ? etag : `"${view.version}"`,
          expiresAtMs: Date.parse(view.session.expiresAt),
          validatedAt,
        });
      }
      return view;
    }
    const error =
      statusCode === 304
        ? new ServiceUnavailableError(
            'unexpected 304 without a cached copy',
            304,
            'invalid_response',
          )
        : errorFromResponse(statusCode, body);
    this.#clearOn(error, digest);
    throw error;
  }

  #clearOn(error: TesseraError, digest: string): void {
    if (error instanceof InvalidSessionError) this.#cache.delete(digest);
    // With its credentials refused, the app can no longer confirm any cached session.
    else if (error instanceof ClientAuthenticationError) this.#cache.clear();
  }
}

function digestOf(token: string): string {
  return hash('sha256', token, 'base64url');
}

async function readJson(response: Dispatcher.ResponseData): Promise<unknown> {
  const text = await response.body.text().catch((cause: unknown) => {
    throw new ServiceUnavailableError(
      'the session service response was cut off',
      response.statusCode,
      'service_unavailable',
      { cause },
    );
  });
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
