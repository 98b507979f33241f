// class-transformer's @Type needs decorator metadata even where Nest has not loaded it.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
import { CONCURRENT_SESSION_STRATEGIES } from '@tessera/core';
import { AppSettingsFields, AttributePolicyConfig, IsClientId } from './app-settings';

/** The realms-and-apps file (TESSERA_CONFIG); its format is documented in docs/configuration.md. */
export class AppConfig extends AppSettingsFields {
  @IsClientId()
  clientId!: string;

  @Matches(/^\$argon2id\$/, {
    message: 'secretHash must be an argon2id hash (create one with: npm run cli -- hash-secret)',
  })
  secretHash!: string;

  // The file's defaults; the shape and rules of these settings are shared with the admin API.
  override enabled = true;
  override redirectUris: string[] = [];
  override postLogoutRedirectUris: string[] = [];
  override attributePolicy: AttributePolicyConfig = new AttributePolicyConfig();
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
