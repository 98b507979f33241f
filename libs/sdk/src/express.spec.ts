import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { AttributeOperation, SessionSource } from './client';
import { ServiceUnavailableError, InvalidSessionError } from './errors';
import { tesseraSession } from './express';
import type { SessionView } from './session-view';
import { deepFreeze } from './session-view';

const view: SessionView = deepFreeze({
  principal: { subject: 'alice', realm: 'example.com', profile: {} },
  session: {
    id: 'sess-1',
    createdAt: '2030-01-01T00:00:00.000Z',
    lastAccessAt: '2030-01-01T00:00:00.000Z',
    idleExpiresAt: '2030-01-01T00:30:00.000Z',
    absoluteExpiresAt: '2030-01-01T08:00:00.000Z',
    expiresAt: '2030-01-01T00:30:00.000Z',
  },
  version: 'v1',
  attributes: { shared: { theme: 'dark' }, private: {} },
});

/** A stub of the client interface (not of the service): records calls, answers from memory. */
function stubSource(behaviour: { load?: () => Promise<SessionView>; patchDelayMs?: number } = {}) {
  const log: string[] = [];
  const source: SessionSource = {
    getSession: (token) => {
      log.push(`get ${token}`);
      return behaviour.load?.() ?? Promise.resolve(view);
    },
    patchSession: async (_token, operations: readonly AttributeOperation[]) => {
      await new Promise((resolve) => setTimeout(resolve, behaviour.patchDelayMs ?? 0));
      log.push(`patch ${operations.map((op) => op.key).join(',')}`);
      return view;
    },
  };
  return { source, log };
}

async function serve(app: express.Express): Promise<{ url: string; server: Server }> {
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('tesseraSession middleware', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  async function run(source: SessionSource, cookie?: string, onFlushError?: jest.Mock) {
    const app = express();
    app.use(tesseraSession({ client: source, onFlushError }));
    app.use(tesseraSession({ client: source })); // mounted twice: must still load once
    app.get('/', (req, res) => {
      req.tessera?.set('seen', true);
      req.tessera?.set('count', 1);
      res.json({ anonymous: req.tessera === undefined, theme: req.tessera?.get('theme') ?? null });
    });
    const started = await serve(app);
    server = started.server;
    return fetch(`${started.url}/`, { headers: cookie ? { cookie } : {} });
  }

  it('leaves a request without the cookie anonymous and calls nothing', async () => {
    const { source, log } = stubSource();
    const response = await run(source, 'other=1');
    expect(await response.json()).toEqual({ anonymous: true, theme: null });
    expect(log).toEqual([]);
  });

  it('loads once, and finishes the response only after the one flush', async () => {
    const { source, log } = stubSource({ patchDelayMs: 50 });
    const response = await run(source, 'tessera_app=tsa.a.b');
    log.push('response');
    expect(await response.json()).toEqual({ anonymous: false, theme: 'dark' });
    expect(log).toEqual(['get tsa.a.b', 'patch seen,count', 'response']);
  });

  it('clears the cookie and goes on anonymous when the session has ended', async () => {
    const { source } = stubSource({ load: () => Promise.reject(new InvalidSessionError()) });
    const response = await run(source, 'tessera_app=tsa.ended');
    expect(await response.json()).toEqual({ anonymous: true, theme: null });
    expect(response.headers.get('set-cookie')).toMatch(
      /^tessera_app=; Path=\/; Max-Age=0; HttpOnly/,
    );
  });

  it('passes other load errors to the error handler', async () => {
    const { source } = stubSource({ load: () => Promise.reject(new ServiceUnavailableError()) });
    const response = await run(source, 'tessera_app=tsa.x');
    expect(response.status).toBe(500);
  });

  it('reports a failed flush and still sends the response', async () => {
    const { source } = stubSource();
    source.patchSession = () => Promise.reject(new InvalidSessionError());
    const onFlushError = jest.fn();
    const response = await run(source, 'tessera_app=tsa.x', onFlushError);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect(onFlushError.mock.calls[0][0]).toBeInstanceOf(InvalidSessionError);
  });
});
