import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AppRecord } from '@tessera/core';

export class AttributePolicyView {
  @ApiProperty({ enum: ['shared', 'private'] }) defaultScope!: 'shared' | 'private';
  @ApiProperty({ type: [String] }) sharedKeys!: string[];
  @ApiProperty({ type: [String] }) privateKeys!: string[];
}

/** An app as the admin API shows it: there is no secret or secret hash field to leak. */
export class AppView {
  @ApiProperty({ example: 'shop' }) clientId!: string;
  @ApiProperty({ example: 'example' }) realm!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: [String], format: 'uri' }) redirectUris!: string[];
  @ApiPropertyOptional({ format: 'uri' }) backchannelLogoutUri?: string;
  @ApiPropertyOptional({ format: 'uri' }) frontchannelLogoutUri?: string;
  @ApiProperty({ type: [String], format: 'uri' }) postLogoutRedirectUris!: string[];
  @ApiProperty({ type: AttributePolicyView }) attributePolicy!: AttributePolicyView;

  @ApiProperty({
    minimum: 1,
    description: 'Grows by one on every change; also the ETag, for If-Match on updates.',
  })
  version!: number;

  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** The answer of a registration or a secret rotation: the only time the secret is shown. */
export class AppWithSecretView extends AppView {
  @ApiProperty({
    description: 'The client secret, shown this once; only its argon2id hash is stored.',
    example: 'q3Jv0cW2s9n4F1yKx7uT5bR8mZ6aL0dE2hG4jP9kQwY',
  })
  clientSecret!: string;
}

export class AppPageView {
  @ApiProperty({ type: [AppView] }) items!: AppView[];
  @ApiPropertyOptional({ description: 'Absent on the last page.' }) nextCursor?: string;
}

export function presentApp(app: AppRecord): AppView {
  const { defaultScope, sharedKeys, privateKeys } = app.policy.spec;
  return {
    clientId: app.clientId,
    realm: app.realm,
    enabled: app.enabled,
    redirectUris: [...app.redirectUris],
    ...(app.backchannelLogoutUri ? { backchannelLogoutUri: app.backchannelLogoutUri } : {}),
    ...(app.frontchannelLogoutUri ? { frontchannelLogoutUri: app.frontchannelLogoutUri } : {}),
    postLogoutRedirectUris: [...app.postLogoutRedirectUris],
    attributePolicy: { defaultScope, sharedKeys: [...sharedKeys], privateKeys: [...privateKeys] },
    version: app.version,
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
  };
}
