// class-transformer's @Type needs decorator metadata even where Nest has not loaded it.
import 'reflect-metadata';
import { applyDecorators } from '@nestjs/common';
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

const KeyPatterns = (scope: string) =>
  applyDecorators(
    ApiPropertyOptional({
      type: [String],
      maxItems: MAX_KEY_PATTERNS,
      default: [],
      description: `Keys that are ${scope} whatever the default; a trailing \`*\` matches a prefix.`,
    }),
    IsArray(),
    ArrayMaxSize(MAX_KEY_PATTERNS),
    IsString({ each: true }),
    MaxLength(MAX_KEY_PATTERN_LENGTH, { each: true }),
  );

export class AttributePolicyConfig {
  @ApiPropertyOptional({ enum: ['shared', 'private'], default: 'shared' })
  @IsIn(['shared', 'private'])
  defaultScope: 'shared' | 'private' = 'shared';

  @KeyPatterns('shared')
  sharedKeys: string[] = [];

  @KeyPatterns('private to the app')
  privateKeys: string[] = [];
}

/** A list of URIs; absent is fine, `null` is not. */
const UriList = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({
      type: [String],
      maxItems: MAX_APP_URIS,
      format: 'uri',
      default: [],
      description: `${description} Canonical absolute URIs, matched exactly.`,
    }),
    WhenPresent(),
    IsArray(),
    ArrayMaxSize(MAX_APP_URIS),
    IsString({ each: true }),
    MaxLength(MAX_APP_URI_LENGTH, { each: true }),
  );

/** One optional URI; `null` removes it in an update. */
const LogoutUri = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({
      type: String,
      format: 'uri',
      maxLength: MAX_APP_URI_LENGTH,
      nullable: true,
      description: `${description} \`null\` in an update removes it.`,
    }),
    WhenNotNull(),
    IsString(),
    MaxLength(MAX_APP_URI_LENGTH),
  );

export class AppSettingsFields {
  @ApiPropertyOptional({
    default: true,
    description: 'A disabled app can neither sign users in nor call the session API.',
  })
  @WhenPresent()
  @IsBoolean()
  enabled?: boolean;

  @UriList('Where the login flow may send the browser back.')
  redirectUris?: string[];

  @LogoutUri('Where single logout POSTs the signed back-channel logout token.')
  backchannelLogoutUri?: string | null;

  @LogoutUri('Loaded in a hidden frame when the user logs out at the service (best effort).')
  frontchannelLogoutUri?: string | null;

  @UriList('Where GET /logout may send the browser afterwards.')
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
