import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TesseraClient } from './client';
import {
  ClientAuthenticationError,
  InvalidGrantError,
  InvalidRequestError,
  ServiceUnavailableError,
} from './errors';

const session = {
  principal: { subject: 'local:ada', realm: 'example', profile: { name: 'Ada' } },
  session: {
    id: 'sess-1',
    createdAt: '2030-01-01T00:00:00.000Z',
    lastAccessAt: '2030-01-01T00:00:00.000Z',
    idleExpiresAt: '2100-01-01T00:30:00.000Z',
    absoluteExpiresAt: '2100-01-01T08:00:00.000Z',
    expiresAt: '2100-01-01T00:30:00.000Z',
  },
  version: 'v7',
  attributes: { shared: { cart: ['book'] }, private: {} },
};

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = (seen: Seen, res: ServerResponse) => void;

/**
 * A stand-in for the service's HTTP answers, as docs/session-api.md and the login contract define
 * them; it checks what the client sends. The real service is exercised in e2e/.
 */
async function fakeService(answer: Answer) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const entry = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sso`;
  return { url, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const exchange = { code: 'c0de', redirectUri: 'https://shop.example.com/cb', codeVerifier: 'v' };

describe('TesseraClient.exchangeCode', () => {
  let service: Awaited<ReturnType<typeof fakeService>> | undefined;
  let client: TesseraClient | undefined;
  afterEach(async () => {
    await client?.close();
    await service?.close();
  });

  function clientFor(url: string) {
    client = new TesseraClient({ baseUrl: url, clientId: 'shop app', clientSecret: 's:e/c' });
    return client;
  }

  it('posts the code as a form with Basic client authentication, and primes the session cache', async () => {
    service = await fakeService((seen, res) => {
      if (seen.method === 'POST') {
        return json(
          res,
          200,
          { access_token: 'tsa.t', token_type: 'Tessera-Session', expires_in: 1800, session },
          { 'cache-control': 'no-store' },
        );
      }
      res.writeHead(seen.headers['if-none-match'] === '"v7"' ? 304 : 500).end();
    });
    const tessera = clientFor(service.url);
    const result = await tessera.exchangeCode(exchange);

    expect(result.appSessionToken).toBe('tsa.t');
    expect(result.expiresIn).toBe(1800);
    expect(result.session.attributes.shared).toEqual({ cart: ['book'] });
    expect(Object.isFrozen(result.session)).toBe(true);

    const [post] = service.seen;
    expect(post.method).toBe('POST');
    expect(post.url).toBe('/sso/token');
    expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(post.headers.authorization).toBe(
      `Basic ${Buffer.from('shop%20app:s%3Ae%2Fc').toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(post.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'c0de',
      redirect_uri: 'https://shop.example.com/cb',
      code_verifier: 'v',
    });

    // The first page after the login: a revalidation answered 304, served from the primed copy.
    expect(await tessera.getSession('tsa.t')).toBe(result.session);
    expect(service.seen[1]).toMatchObject({ method: 'GET', url: '/sso/api/v1/session' });
  });

  it.each([
    [400, { error: 'invalid_grant', error_description: 'code expired' }, InvalidGrantError],
    [400, { error: 'invalid_request', error_description: 'no verifier' }, InvalidRequestError],
    [401, { error: 'invalid_client', error_description: 'bad secret' }, ClientAuthenticationError],
    [503, {}, ServiceUnavailableError],
  ])('maps %i %j to its error class', async (status, body, type) => {
    service = await fakeService((_seen, res) => json(res, status, body));
    const failure = clientFor(service.url).exchangeCode(exchange);
    await expect(failure).rejects.toBeInstanceOf(type);
    if ('error_description' in body) {
      await expect(failure).rejects.toMatchObject({ message: body.error_description });
    }
  });

  it.each([
    ['another token type', { access_token: 'tsa.t', token_type: 'Bearer', expires_in: 1, session }],
    [
      'a token with a space',
      { access_token: 'a b', token_type: 'Tessera-Session', expires_in: 1, session },
    ],
    ['no expires_in', { access_token: 'tsa.t', token_type: 'Tessera-Session', session }],
    [
      'no session view',
      { access_token: 'tsa.t', token_type: 'Tessera-Session', expires_in: 1, session: {} },
    ],
  ])('refuses a 200 answer with %s', async (_label, body) => {
    service = await fakeService((_seen, res) => json(res, 200, body));
    await expect(clientFor(service.url).exchangeCode(exchange)).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });

  it('refuses a code it could not send intact, without a round trip', async () => {
    service = await fakeService((_seen, res) => json(res, 500, {}));
    const tessera = clientFor(service.url);
    await expect(tessera.exchangeCode({ ...exchange, code: 'a\r\nb' })).rejects.toBeInstanceOf(
      InvalidGrantError,
    );
    await expect(tessera.exchangeCode({ ...exchange, code: '' })).rejects.toBeInstanceOf(
      InvalidGrantError,
    );
    expect(service.seen).toHaveLength(0);
  });
});
