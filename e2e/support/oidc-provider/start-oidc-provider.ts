import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freeLoopbackPort } from '../tessera-service';

export interface TestAccount {
  /** The `sub` claim; also the username on the provider's login form. */
  sub: string;
  name?: string;
  email?: string;
  emailVerified?: boolean;
  /** When set, the login form checks it; when absent any password passes. */
  password?: string;
}

export interface OidcProviderOptions {
  /** Loopback port; 0 (the default) lets the system pick a free one. */
  port?: number;
  client: { clientId: string; clientSecret: string; redirectUris: string[] };
  account: TestAccount;
  /** Sign the account in without showing the login form. */
  autoLogin?: boolean;
  /** How long to wait for the discovery document; default 15 s. */
  startTimeoutMs?: number;
}

export interface RunningOidcProvider {
  /** `http://127.0.0.1:<port>`; its discovery document is at `/.well-known/openid-configuration`. */
  issuer: string;
  stop(): Promise<void>;
}

const SERVER = join(__dirname, 'server.mjs');

/**
 * Starts e2e/support/oidc-provider/server.mjs (oidc-provider is ESM-only, and jest's module
 * system cannot load it) on a loopback port and resolves once its discovery document answers.
 */
export async function startOidcProvider(
  options: OidcProviderOptions,
): Promise<RunningOidcProvider> {
  const { startTimeoutMs = 15_000, ...config } = options;
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, OIDC_TEST_PROVIDER_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const issuer = await withTimeout(
      (async () => {
        const issuer = await firstIssuerLine(child.stdout);
        await discoveryAnswers(issuer);
        return issuer;
      })(),
      startTimeoutMs,
      () => `the test OpenID provider did not start: ${stderr || '(no output)'}`,
    );
    return { issuer, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function firstIssuerLine(stdout: NodeJS.ReadableStream): Promise<string> {
  for await (const line of createInterface({ input: stdout })) {
    const parsed = JSON.parse(line) as { issuer?: unknown };
    if (typeof parsed.issuer === 'string') return parsed.issuer;
  }
  throw new Error('the test OpenID provider exited before it listened');
}

async function discoveryAnswers(issuer: string): Promise<void> {
  const url = `${issuer}/.well-known/openid-configuration`;
  for (;;) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A provider for the service to come, and the port that service must listen on. */
export interface ProviderForService {
  readonly provider: RunningOidcProvider;
  /** The service's loopback port, already in the provider's redirect URI. */
  readonly port: number;
  /** `http://127.0.0.1:<port>`: the service's public URL. */
  readonly publicUrl: string;
}

/**
 * Starts a provider whose one client is the service's upstream `testidp` of realm `example`,
 * registered with `upstream-secret` and the callback URI on a port chosen here for the service.
 */
export async function startProviderForService(account: TestAccount): Promise<ProviderForService> {
  const port = await freeLoopbackPort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const provider = await startOidcProvider({
    client: {
      clientId: 'tessera',
      clientSecret: 'upstream-secret',
      redirectUris: [`${publicUrl}/login/upstream/example/testidp/callback`],
    },
    account,
  });
  return { provider, port, publicUrl };
}
