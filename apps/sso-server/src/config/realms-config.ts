// class-transformer's @Type needs decorator metadata even where Nest has not loaded it.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsFQDN,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CLIENT_ID_PATTERN } from '@tessera/core';

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

  @IsOptional()
  @ValidateNested()
  @Type(() => AttributePolicyConfig)
  attributePolicy: AttributePolicyConfig = new AttributePolicyConfig();
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
}

export class RealmsConfig {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RealmConfig)
  realms!: RealmConfig[];
}
