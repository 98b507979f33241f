import { randomBytes } from 'node:crypto';

/** One link to another app of the realm, shown on every page. */
export interface PeerLink {
  readonly name: string;
  readonly url: string;
}

/** Everything the demo app needs; built from the environment by `readDemoConfig`. */
export interface DemoConfig {
  /** `shop`, `portal`...: the page title and the cookie names. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Where browsers reach this app (an origin); the callback is `{publicUrl}/auth/callback`. */
  readonly publicUrl: URL;
  /** Where browsers reach the service (the login redirect and the expected issuer). */
  readonly tesseraUrl: URL;
  /** Where this app's backend reaches the service (inside a container network, say). */
  readonly tesseraInternalUrl: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly cookieSecret: string;
  readonly peers: readonly PeerLink[];
}

export class DemoConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the demo app's configuration is invalid:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Local defaults for `npm run demo -- shop|portal`: the demo realm of config/demo.json (public secrets). */
export const PRESETS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  shop: {
    DEMO_APP_NAME: 'shop',
    DEMO_PORT: '3001',
    DEMO_PUBLIC_URL: 'http://shop.example.test:3001',
    DEMO_CLIENT_ID: 'shop',
    DEMO_CLIENT_SECRET: 'shop-demo-secret',
    DEMO_PEERS: 'portal=http://portal.example.test:3002',
    TESSERA_URL: 'http://sso.example.test:8080',
  },
  portal: {
    DEMO_APP_NAME: 'portal',
    DEMO_PORT: '3002',
    DEMO_PUBLIC_URL: 'http://portal.example.test:3002',
    DEMO_CLIENT_ID: 'portal',
    DEMO_CLIENT_SECRET: 'portal-demo-secret',
    DEMO_PEERS: 'shop=http://shop.example.test:3001',
    TESSERA_URL: 'http://sso.example.test:8080',
  },
};

export interface ReadDemoConfig {
  readonly config: DemoConfig;
  /** Things worth a log line (a generated cookie secret). */
  readonly warnings: readonly string[];
}

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Reads the configuration from the environment, over a preset's defaults when one is named.
 * Every problem is reported at once, naming its variable.
 */
export function readDemoConfig(env: NodeJS.ProcessEnv, presetName?: string): ReadDemoConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  let preset: Readonly<Record<string, string>> = {};
  if (presetName !== undefined) {
    if (Object.hasOwn(PRESETS, presetName)) preset = PRESETS[presetName];
    else
      problems.push(`unknown demo app "${presetName}" (known: ${Object.keys(PRESETS).join(', ')})`);
  }
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value !== undefined && value !== '' ? value : preset[name];
  };

  const name = read('DEMO_APP_NAME') ?? '';
  if (!NAME.test(name)) problems.push('DEMO_APP_NAME must be 1 to 32 of a-z 0-9 -, e.g. shop');
  const port = Number(read('DEMO_PORT') ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push('DEMO_PORT must be a port number');
  }
  const publicUrl = origin('DEMO_PUBLIC_URL', read('DEMO_PUBLIC_URL'), problems);
  const tesseraUrl = origin('TESSERA_URL', read('TESSERA_URL'), problems);
  const internal = read('TESSERA_INTERNAL_URL');
  const tesseraInternalUrl =
    internal === undefined ? tesseraUrl : origin('TESSERA_INTERNAL_URL', internal, problems);
  const clientId = read('DEMO_CLIENT_ID') ?? name;
  const clientSecret = read('DEMO_CLIENT_SECRET') ?? '';
  if (clientSecret.length === 0) problems.push('DEMO_CLIENT_SECRET is required');

  let cookieSecret = read('DEMO_COOKIE_SECRET');
  if (cookieSecret === undefined && presetName !== undefined) {
    cookieSecret = randomBytes(32).toString('base64url');
    warnings.push(
      'DEMO_COOKIE_SECRET is not set: using a random one, so logins in progress do not survive a restart',
    );
  }
  if (cookieSecret === undefined || Buffer.byteLength(cookieSecret) < 32) {
    problems.push('DEMO_COOKIE_SECRET must be at least 32 bytes (e.g. openssl rand -base64 32)');
  }
  const peers = peerLinks(read('DEMO_PEERS'), problems);

  if (problems.length > 0) throw new DemoConfigError(problems);
  return {
    config: {
      name,
      host: read('DEMO_HOST') ?? '127.0.0.1',
      port,
      publicUrl: publicUrl!,
      tesseraUrl: tesseraUrl!,
      tesseraInternalUrl: tesseraInternalUrl!,
      clientId,
      clientSecret,
      cookieSecret: cookieSecret!,
      peers,
    },
    warnings,
  };
}

function origin(variable: string, value: string | undefined, problems: string[]): URL | undefined {
  if (value === undefined) {
    problems.push(`${variable} is required, e.g. http://sso.example.test:8080`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${variable} "${value}" is not an absolute URL`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${variable} must be an http or https URL`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    problems.push(`${variable} must be an origin such as https://shop.example.com (no path)`);
  }
  return url;
}

/** `portal=http://portal.example.test:3002,admin=https://admin.example.com` */
function peerLinks(value: string | undefined, problems: string[]): PeerLink[] {
  if (value === undefined) return [];
  return value.split(',').flatMap((entry) => {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, Math.max(eq, 0)).trim();
    if (!NAME.test(name)) {
      problems.push(`DEMO_PEERS entry "${entry}" must be name=url`);
      return [];
    }
    const url = origin('DEMO_PEERS', entry.slice(eq + 1).trim(), problems);
    return url === undefined ? [] : [{ name, url: url.href }];
  });
}
