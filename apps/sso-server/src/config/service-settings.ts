import type {
  ClientAuthCacheSettings,
  LogoutDeliverySettings,
  SessionSettings,
} from '@tessera/core';
import { DEFAULT_ATTRIBUTE_LIMITS } from '@tessera/core';
import { resolve } from 'node:path';
import type { SigningSettings } from '../signing/signing-settings';
import { signingSettingsFrom } from '../signing/signing-settings';
import { logoutSettingsFrom } from '../logout/logout-settings';
import { adminSettingsFrom } from '../admin/access/admin-settings';
import type { EnvironmentVariables } from './environment';
import { readEnvironment } from './environment';
import { isDevelopmentHost } from './uri-rules';
import { ConfigurationError } from './validation-messages';

/** The expiry sweeper (apps/sso-server/src/sweeper). */
export interface SweeperSettings {
  /** Seconds between runs; 0 turns the sweeper off in this instance (another may run it). */
  readonly intervalMs: number;
  /** Principals looked at per batch; a run takes batches until one comes back short. */
  readonly batchSize: number;
}

/** Admin API access and the audit log. */
export interface AdminSettings {
  /** TESSERA_BOOTSTRAP_ADMIN_TOKEN: stored with the `full` scope at start-up when missing. */
  readonly bootstrapToken?: string;
  /** Audit events older than this are deleted. */
  readonly auditRetentionMs: number;
}

/** Registered apps (docs/admin/apps.md). */
export interface AppRegistrySettings {
  /** Each instance rereads the apps' generation at most this often: the bound on propagation. */
  readonly refreshMs: number;
  /** `insert`: the realms file adds only apps the database lacks; `overwrite`: its apps replace the stored ones. */
  readonly seed: 'insert' | 'overwrite';
}

/** The service's validated settings; the defaults are documented in docs/configuration.md. */
export class ServiceSettings {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly production: boolean,
    /**
     * Express's `trust proxy`: which proxies in front of the service may state the client's
     * address (X-Forwarded-For). Unset trusts none, so `req.ip` is the direct peer.
     */
    readonly trustProxy: number | string | undefined,
    readonly mongodb: {
      readonly uri?: string;
      readonly dbName: string;
      readonly dataDir: string;
      /** Revision claims for servers without atomic conditional updates (libs/persistence write-guard). */
      readonly writeClaims: 'auto' | 'on' | 'off';
    },
    /** Path of the realms and apps file; undefined means the bundled demo configuration. */
    readonly realmsFile: string | undefined,
    readonly session: SessionSettings,
    readonly clientAuthCache: ClientAuthCacheSettings,
    readonly maxBodyBytes: number,
    /** Where browsers and apps reach the service; the issuer of its tokens. https means secure cookies. */
    readonly publicUrl: URL,
    readonly login: {
      /** How long a pending login (the signed cookie behind the login page) stays usable. */
      readonly pendingLoginTtlMs: number;
    },
    readonly accounts: {
      /** JSON file of local accounts created at start-up when missing (docs/accounts.md). */
      readonly bootstrapFile?: string;
    },
    /** Signing keys and logout tokens (docs/signing-keys.md). */
    readonly signing: SigningSettings,
    /** Delivery of back-channel logouts (docs/single-logout.md, "Delivery"). */
    readonly logout: LogoutDeliverySettings,
    /** The expiry sweeper. */
    readonly sweeper: SweeperSettings,
    /** Admin API access and the audit log (docs/admin/access-and-audit.md). */
    readonly admin: AdminSettings,
    /** Registered apps: how fast changes spread, and how the realms file seeds them. */
    readonly apps: AppRegistrySettings,
  ) {}

  /** Cookies are Secure (and the SSO cookie `__Host-` prefixed) whenever the public URL is https. */
  get secureCookies(): boolean {
    return this.publicUrl.protocol === 'https:';
  }
}

const SECOND = 1000;

export function loadServiceSettings(env: NodeJS.ProcessEnv = process.env): ServiceSettings {
  return settingsFrom(readEnvironment(env));
}

export function settingsFrom(vars: EnvironmentVariables): ServiceSettings {
  const limits = {
    maxKeyLength: vars.TESSERA_MAX_KEY_LENGTH ?? DEFAULT_ATTRIBUTE_LIMITS.maxKeyLength,
    maxValueBytes: vars.TESSERA_MAX_VALUE_BYTES ?? DEFAULT_ATTRIBUTE_LIMITS.maxValueBytes,
    maxBytesPerApp: vars.TESSERA_MAX_BYTES_PER_APP ?? DEFAULT_ATTRIBUTE_LIMITS.maxBytesPerApp,
    maxKeysPerApp: vars.TESSERA_MAX_KEYS_PER_APP ?? DEFAULT_ATTRIBUTE_LIMITS.maxKeysPerApp,
    maxOperationsPerBatch:
      vars.TESSERA_MAX_OPERATIONS_PER_BATCH ?? DEFAULT_ATTRIBUTE_LIMITS.maxOperationsPerBatch,
  };
  const timeouts = {
    idleTimeoutMs: (vars.TESSERA_IDLE_TIMEOUT_SECONDS ?? 30 * 60) * SECOND,
    absoluteLifetimeMs: (vars.TESSERA_ABSOLUTE_LIFETIME_SECONDS ?? 12 * 60 * 60) * SECOND,
    touchIntervalMs: (vars.TESSERA_TOUCH_INTERVAL_SECONDS ?? 5) * SECOND,
  };
  const problems: string[] = [];
  if (timeouts.touchIntervalMs >= timeouts.idleTimeoutMs) {
    problems.push(
      'TESSERA_TOUCH_INTERVAL_SECONDS must be shorter than TESSERA_IDLE_TIMEOUT_SECONDS',
    );
  }
  if (limits.maxValueBytes > limits.maxBytesPerApp) {
    problems.push('TESSERA_MAX_VALUE_BYTES must not exceed TESSERA_MAX_BYTES_PER_APP');
  }
  const production = vars.NODE_ENV === 'production';
  const port = vars.PORT ?? 8080;
  const publicUrl = parsePublicUrl(
    vars.TESSERA_PUBLIC_URL ?? `http://localhost:${port}/`,
    production,
    problems,
  );
  const signing = signingSettingsFrom(vars, problems);
  const logout = logoutSettingsFrom(vars, problems);
  const admin = adminSettingsFrom(vars, problems);
  if (production && !vars.TESSERA_CONFIG) {
    problems.push(
      'TESSERA_CONFIG is required in production (the demo apps have published secrets)',
    );
  }
  if (problems.length > 0) throw new ConfigurationError('environment variables', problems);

  // A batch may carry every value at its maximum size; leave room for JSON framing.
  const maxBodyBytes = limits.maxOperationsPerBatch * 256 + limits.maxBytesPerApp * 2 + 64 * 1024;
  return new ServiceSettings(
    vars.TESSERA_HOST ?? '127.0.0.1',
    port,
    production,
    trustProxyOf(vars.TESSERA_TRUST_PROXY),
    {
      uri: vars.MONGODB_URI,
      dbName: vars.TESSERA_DB_NAME ?? 'tessera',
      dataDir: resolve(vars.TESSERA_DATA_DIR ?? '.tessera-data'),
      writeClaims: vars.TESSERA_WRITE_CLAIMS ?? 'auto',
    },
    vars.TESSERA_CONFIG === undefined ? undefined : resolve(vars.TESSERA_CONFIG),
    {
      timeouts,
      limits,
      maxClockSkewMs: vars.TESSERA_MAX_CLOCK_SKEW_MS ?? 5 * SECOND,
      tombstoneRetentionMs: (vars.TESSERA_TOMBSTONE_RETENTION_SECONDS ?? 10 * 60) * SECOND,
      maxWriteAttempts: 50,
      authorizationCodeTtlMs: (vars.TESSERA_CODE_TTL_SECONDS ?? 60) * SECOND,
    },
    { ttlMs: (vars.TESSERA_CLIENT_AUTH_CACHE_SECONDS ?? 60) * SECOND, maxEntries: 10_000 },
    maxBodyBytes,
    publicUrl,
    { pendingLoginTtlMs: (vars.TESSERA_LOGIN_TTL_SECONDS ?? 600) * SECOND },
    {
      bootstrapFile:
        vars.TESSERA_BOOTSTRAP_ACCOUNTS === undefined
          ? undefined
          : resolve(vars.TESSERA_BOOTSTRAP_ACCOUNTS),
    },
    signing,
    logout,
    {
      intervalMs: (vars.TESSERA_SWEEP_INTERVAL_SECONDS ?? 30) * SECOND,
      batchSize: vars.TESSERA_SWEEP_BATCH_SIZE ?? 100,
    },
    admin,
    { refreshMs: vars.TESSERA_APP_REFRESH_MS ?? 1000, seed: vars.TESSERA_APP_SEED ?? 'insert' },
  );
}

/** A bare number is a hop count; anything else is Express's list of trusted addresses. */
function trustProxyOf(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function parsePublicUrl(value: string, production: boolean, problems: string[]): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`TESSERA_PUBLIC_URL "${value}" is not an absolute URL`);
    return new URL('http://localhost/');
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    problems.push(
      'TESSERA_PUBLIC_URL must be an origin such as https://sso.example.com (no path, query or user info)',
    );
  }
  const plainHttpAllowed = !production && isDevelopmentHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainHttpAllowed)) {
    problems.push(
      'TESSERA_PUBLIC_URL must use https (plain http only for localhost and .test hosts outside production)',
    );
  }
  return url;
}
