// class-transformer's @Type needs decorator metadata even where Nest has not loaded it.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsFQDN,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { ConcurrentSessionStrategy } from '@tessera/core';
import { CLIENT_ID_PATTERN, CONCURRENT_SESSION_STRATEGIES } from '@tessera/core';

/** The realms-and-apps file (TESSERA_CONFIG); its format is documented in docs/configuration.md. */
export class AttributePolicyConfig {
  @IsIn(['shared', 'private']) defaultScope: 'shared' | 'private' = 'shared';

  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  sharedKeys: string[] = [];

  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  privateKeys: string[] = [];
}

export class AppConfig {
  @Matches(CLIENT_ID_PATTERN, { message: 'clientId must be 1 to 64 of A-Z a-z 0-9 _ -' })
  clientId!: string;

  @Matches(/^\$argon2id\$/, {
    message: 'secretHash must be an argon2id hash (create one with: npm run cli -- hash-secret)',
  })
  secretHash!: string;

  @IsOptional() @IsBoolean() enabled = true;

  /** Where the login flow may send the browser back; matched exactly (redirect-uri-rules.ts). */
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  redirectUris: string[] = [];

  /** Where single logout POSTs the signed logout token. */
  @IsOptional() @IsString() @MaxLength(2048) backchannelLogoutUri?: string;

  /** Loaded in a hidden frame when the user logs out at the service (best effort). */
  @IsOptional() @IsString() @MaxLength(2048) frontchannelLogoutUri?: string;

  /** Where GET /logout may send the browser afterwards; matched exactly. */
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  postLogoutRedirectUris: string[] = [];

  @IsOptional()
  @ValidateNested()
  @Type(() => AttributePolicyConfig)
  attributePolicy: AttributePolicyConfig = new AttributePolicyConfig();
}

/** An upstream OpenID Connect provider users may sign in with. */
export class IdentityProviderConfig {
  @Matches(/^[a-z0-9][a-z0-9-]{0,31}$/, {
    message:
      'id must be 1 to 32 lower-case letters, digits or -; it prefixes the subjects it signs in',
  })
  id!: string;

  @IsString() @Length(1, 64) displayName!: string;

  /** The issuer URL; its discovery document is read at start-up. */
  @IsString() @MaxLength(2048) issuer!: string;

  @IsString() @Length(1, 256) clientId!: string;

  /** The secret itself, or (better) the name of the environment variable holding it. */
  @IsOptional() @IsString() @Length(1, 1024) clientSecret?: string;

  @IsOptional()
  @Matches(/^[A-Z_][A-Z0-9_]{0,127}$/, {
    message: 'clientSecretEnv must name an environment variable',
  })
  clientSecretEnv?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(/^[\x21\x23-\x5b\x5d-\x7e]+$/, {
    each: true,
    message: 'each scope must be a scope token',
  })
  scopes: string[] = ['openid', 'profile', 'email'];
}

/** Limit on a principal's live SSO sessions (devices) in the realm; absent means no limit. */
export class SessionPolicyConfig {
  @IsInt({ message: 'maxSessions must be a whole number' })
  @Min(1)
  @Max(1000)
  maxSessions!: number;

  @IsIn(CONCURRENT_SESSION_STRATEGIES, {
    message: `strategy must be one of ${CONCURRENT_SESSION_STRATEGIES.join(', ')}`,
  })
  strategy!: ConcurrentSessionStrategy;
}

export class RealmConfig {
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    message:
      'name must be 1 to 63 lower-case letters, digits or -, starting with a letter or digit',
  })
  name!: string;

  @IsFQDN(
    { require_tld: true },
    { message: 'rootDomain must be a domain name such as example.com' },
  )
  rootDomain!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AppConfig)
  apps: AppConfig[] = [];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => IdentityProviderConfig)
  identityProviders: IdentityProviderConfig[] = [];

  @IsOptional()
  @ValidateNested()
  @Type(() => SessionPolicyConfig)
  sessionPolicy?: SessionPolicyConfig;
}

export class RealmsConfig {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RealmConfig)
  realms!: RealmConfig[];
}
