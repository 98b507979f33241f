import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AdminScope, AdminToken } from '@tessera/core';
import { ADMIN_SCOPES, ADMIN_TOKEN_ID_PATTERN, ADMIN_TOKEN_NAME } from '@tessera/core';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';

/** An admin token id: 16 random bytes, base64url. */
const ADMIN_TOKEN_ID = ADMIN_TOKEN_ID_PATTERN;

export class CreateAdminTokenDto {
  @ApiProperty({ minLength: 1, maxLength: 64, description: 'Who or what holds the token.' })
  @IsString()
  @MaxLength(64)
  @Matches(ADMIN_TOKEN_NAME, {
    message: 'name must be 1 to 64 visible characters (not only spaces, no control characters)',
  })
  name!: string;

  @ApiProperty({ enum: ADMIN_SCOPES, description: '`full` can change state; `read` only looks.' })
  @IsIn(ADMIN_SCOPES)
  scope!: AdminScope;
}

export class AdminTokenIdParams {
  @ApiProperty({ pattern: ADMIN_TOKEN_ID.source })
  @Matches(ADMIN_TOKEN_ID, {
    message: 'tokenId must be an admin token id (22 base64url characters)',
  })
  tokenId!: string;
}

export class AdminTokenView {
  @ApiProperty({ pattern: ADMIN_TOKEN_ID.source }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ADMIN_SCOPES, isArray: true }) scopes!: AdminScope[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) revokedAt?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Updated at most once a minute.' })
  lastUsedAt?: string;
}

export class AdminTokenPageView {
  @ApiProperty({ type: [AdminTokenView] }) items!: AdminTokenView[];
  @ApiPropertyOptional({ description: 'Absent on the last page.' }) nextCursor?: string;
}

export class CreatedAdminTokenView {
  @ApiProperty({ type: AdminTokenView }) token!: AdminTokenView;
  @ApiProperty({ description: 'The Bearer value. Shown this once; only its hash is stored.' })
  value!: string;
}

export function presentAdminToken(token: AdminToken): AdminTokenView {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: token.id,
    name: token.name,
    scopes: [...token.scopes],
    createdAt: iso(token.createdAt),
    ...(token.revokedAt === undefined ? {} : { revokedAt: iso(token.revokedAt) }),
    ...(token.lastUsedAt === undefined ? {} : { lastUsedAt: iso(token.lastUsedAt) }),
  };
}
