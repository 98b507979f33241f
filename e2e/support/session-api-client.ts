/** Raw HTTP calls to the session API, for tests that check statuses and headers exactly. */
export interface ApiCaller {
  get(token: string | undefined, headers?: Record<string, string>): Promise<Response>;
  patch(
    token: string | undefined,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
}

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function sessionApi(baseUrl: string, clientId: string, secret: string): ApiCaller {
  const url = `${baseUrl}/api/v1/session`;
  const headersFor = (token: string | undefined, extra: Record<string, string> = {}) => ({
    authorization: basicAuth(clientId, secret),
    ...(token === undefined ? {} : { 'tessera-session': token }),
    ...extra,
  });
  return {
    get: (token, headers) => fetch(url, { headers: headersFor(token, headers) }),
    patch: (token, body, headers) =>
      fetch(url, {
        method: 'PATCH',
        headers: headersFor(token, { 'content-type': 'application/json', ...headers }),
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

export const set = (key: string, value: unknown, time: number) => ({ op: 'set', key, value, time });
export const remove = (key: string, time: number) => ({ op: 'remove', key, time });
