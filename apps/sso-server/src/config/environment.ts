// class-transformer's @Type needs decorator metadata even where Nest has not loaded it.
import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { ConfigurationError, describeValidationErrors } from './validation-messages';

/** Every environment variable the service reads. Defaults live in service-settings.ts. */
export class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @IsString() TESSERA_HOST?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() MONGODB_URI?: string;
  @IsOptional() @IsString() TESSERA_DB_NAME?: string;
  @IsOptional() @IsString() TESSERA_DATA_DIR?: string;
  @IsOptional() @IsString() TESSERA_CONFIG?: string;
  @IsOptional() @IsString() TESSERA_PUBLIC_URL?: string;
  @IsOptional()
  @Matches(/^[\w.:/, -]{1,512}$/, {
    message:
      'TESSERA_TRUST_PROXY must be a hop count, or addresses, subnets or names such as loopback',
  })
  TESSERA_TRUST_PROXY?: string;
  @IsOptional() @IsString() TESSERA_BOOTSTRAP_ACCOUNTS?: string;
  // Admin access and audit (docs/admin/access-and-audit.md); the token's format is checked in
  // admin/access/admin-settings.ts, whose message never repeats the value.
  @IsOptional() @IsString() TESSERA_BOOTSTRAP_ADMIN_TOKEN?: string;
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  TESSERA_AUDIT_RETENTION_DAYS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(600) TESSERA_CODE_TTL_SECONDS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(60) @Max(3600) TESSERA_LOGIN_TTL_SECONDS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) TESSERA_IDLE_TIMEOUT_SECONDS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) TESSERA_ABSOLUTE_LIFETIME_SECONDS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) TESSERA_TOUCH_INTERVAL_SECONDS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) TESSERA_MAX_CLOCK_SKEW_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) TESSERA_TOMBSTONE_RETENTION_SECONDS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(4096) TESSERA_MAX_KEY_LENGTH?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) TESSERA_MAX_VALUE_BYTES?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) TESSERA_MAX_BYTES_PER_APP?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) TESSERA_MAX_KEYS_PER_APP?: number;
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  TESSERA_MAX_OPERATIONS_PER_BATCH?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) TESSERA_CLIENT_AUTH_CACHE_SECONDS?: number;
  @IsOptional() @IsIn(['auto', 'on', 'off']) TESSERA_WRITE_CLAIMS?: 'auto' | 'on' | 'off';
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  TESSERA_SWEEP_INTERVAL_SECONDS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) TESSERA_SWEEP_BATCH_SIZE?: number;
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 366)
  TESSERA_SIGNING_KEY_ROTATION_HOURS?: number;
  // At least the JWKS max-age (300 s), so cached key sets see a key before it signs.
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(300)
  TESSERA_SIGNING_KEY_PUBLISH_LEAD_SECONDS?: number;
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3600)
  TESSERA_LOGOUT_TOKEN_TTL_SECONDS?: number;
  // Logout delivery (apps/sso-server/src/logout/logout-settings.ts).
  @IsOptional() @Type(() => Number) @IsInt() @Min(10) TESSERA_LOGOUT_DISPATCH_INTERVAL_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) TESSERA_LOGOUT_PARALLELISM?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) TESSERA_LOGOUT_LEASE_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) TESSERA_LOGOUT_BACKOFF_BASE_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) TESSERA_LOGOUT_BACKOFF_CAP_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(50) TESSERA_LOGOUT_REQUEST_TIMEOUT_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) TESSERA_LOGOUT_DEADLINE_SECONDS?: number;
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  TESSERA_LOGOUT_RETENTION_DAYS?: number;
  // Registered apps (docs/admin/apps.md).
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(60000) TESSERA_APP_REFRESH_MS?: number;
  @IsOptional() @IsIn(['insert', 'overwrite']) TESSERA_APP_SEED?: 'insert' | 'overwrite';
}

const GENERAL_VARIABLES = new Set(['NODE_ENV', 'PORT', 'MONGODB_URI']);

export function readEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  // Every TESSERA_* variable is checked, so a misspelt one is reported instead of ignored.
  const picked = Object.fromEntries(
    Object.entries(env).filter(
      ([name, value]) =>
        value !== undefined &&
        value !== '' &&
        (GENERAL_VARIABLES.has(name) || name.startsWith('TESSERA_')),
    ),
  );
  const vars = plainToInstance(EnvironmentVariables, picked);
  const errors = validateSync(vars, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new ConfigurationError('environment variables', describeValidationErrors(errors));
  }
  return vars;
}
