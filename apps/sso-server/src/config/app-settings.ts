// class-transformer's @Type needs decorator metadata even where Nest has not loaded it.
import 'reflect-metadata';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CLIENT_ID_PATTERN } from '@tessera/core';

/**
 * The shape of an app's settings, shared by the realms file (AppConfig) and the admin API's
 * request bodies, so both refuse exactly the same things. The rules that need the realm (URIs
 * on its root domain, https) are in app-settings-rules.ts, also shared.
 */
export const MAX_APP_URIS = 20;
export const MAX_APP_URI_LENGTH = 2048;
export const MAX_KEY_PATTERNS = 1000;
export const MAX_KEY_PATTERN_LENGTH = 4096;

/** Validates the property whenever it is present; unlike @IsOptional, `null` is refused. */
const WhenPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
/** `null` is allowed too: in an update it removes the setting. */
const WhenNotNull = () => ValidateIf((_object: object, value: unknown) => value != null);

const keyPatterns = (scope: string) =>
  ApiPropertyOptional({
    type: [String],
    maxItems: MAX_KEY_PATTERNS,
    default: [],
    description: `Keys that are ${scope} whatever the default; a trailing \`*\` matches a prefix.`,
  });

export class AttributePolicyConfig {
  @ApiPropertyOptional({ enum: ['shared', 'private'], default: 'shared' })
  @IsIn(['shared', 'private'])
  defaultScope: 'shared' | 'private' = 'shared';

  @keyPatterns('shared')
  @IsArray()
  @ArrayMaxSize(MAX_KEY_PATTERNS)
  @IsString({ each: true })
  @MaxLength(MAX_KEY_PATTERN_LENGTH, { each: true })
  sharedKeys: string[] = [];

  @keyPatterns('private to the app')
  @IsArray()
  @ArrayMaxSize(MAX_KEY_PATTERNS)
  @IsString({ each: true })
  @MaxLength(MAX_KEY_PATTERN_LENGTH, { each: true })
  privateKeys: string[] = [];
}

const uriList = (description: string) =>
  ApiPropertyOptional({
    type: [String],
    maxItems: MAX_APP_URIS,
    format: 'uri',
    default: [],
    description: `${description} Canonical absolute URIs, matched exactly.`,
  });

const logoutUri = (description: string) =>
  ApiPropertyOptional({
    type: String,
    format: 'uri',
    maxLength: MAX_APP_URI_LENGTH,
    nullable: true,
    description: `${description} \`null\` in an update removes it.`,
  });

export class AppSettingsFields {
  @ApiPropertyOptional({
    default: true,
    description: 'A disabled app can neither sign users in nor call the session API.',
  })
  @WhenPresent()
  @IsBoolean()
  enabled?: boolean;

  @uriList('Where the login flow may send the browser back.')
  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(MAX_APP_URIS)
  @IsString({ each: true })
  @MaxLength(MAX_APP_URI_LENGTH, { each: true })
  redirectUris?: string[];

  @logoutUri('Where single logout POSTs the signed back-channel logout token.')
  @WhenNotNull()
  @IsString()
  @MaxLength(MAX_APP_URI_LENGTH)
  backchannelLogoutUri?: string | null;

  @logoutUri('Loaded in a hidden frame when the user logs out at the service (best effort).')
  @WhenNotNull()
  @IsString()
  @MaxLength(MAX_APP_URI_LENGTH)
  frontchannelLogoutUri?: string | null;

  @uriList('Where GET /logout may send the browser afterwards.')
  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(MAX_APP_URIS)
  @IsString({ each: true })
  @MaxLength(MAX_APP_URI_LENGTH, { each: true })
  postLogoutRedirectUris?: string[];

  @ApiPropertyOptional({
    type: AttributePolicyConfig,
    description: 'Which attribute keys are shared and which private; replaced whole.',
  })
  @WhenPresent()
  @IsObject()
  @ValidateNested()
  @Type(() => AttributePolicyConfig)
  attributePolicy?: AttributePolicyConfig;
}

/** Client ids are used inside stored field paths, so only a safe alphabet is accepted. */
export const IsClientId = () =>
  Matches(CLIENT_ID_PATTERN, { message: 'clientId must be 1 to 64 of A-Z a-z 0-9 _ -' });
