import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, REALM_NAME } from '@tessera/core';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../shared/page-query.dto';

/** Principal and session ids: 16 random bytes, base64url (docs/tokens.md). */
export const TOKEN_PART_ID = /^[A-Za-z0-9_-]{22}$/;
/** Longest subject or name prefix accepted. */
export const MAX_PREFIX_LENGTH = 100;
/** No control characters: MongoDB refuses a pattern holding a NUL byte (a 500, not a 400). */
const PREFIX_TEXT = /^[^\p{Cc}]*$/u;

/** GET /admin/v1/online-users */
export class OnlineUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    pattern: CLIENT_ID_PATTERN.source,
    description: 'Only principals using this app.',
  })
  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: 'clientId must be 1 to 64 of A-Z a-z 0-9 _ -' })
  clientId?: string;

  @ApiPropertyOptional({ pattern: REALM_NAME.source, description: 'Only this realm.' })
  @IsOptional()
  @IsString()
  @Matches(REALM_NAME, { message: 'realm must be a realm name such as "example"' })
  realm?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: MAX_PREFIX_LENGTH,
    description: 'Subjects starting with this text, compared exactly.',
  })
  @IsOptional()
  @IsString()
  @Length(1, MAX_PREFIX_LENGTH)
  @Matches(PREFIX_TEXT, { message: 'subjectPrefix must not contain control characters' })
  subjectPrefix?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: MAX_PREFIX_LENGTH,
    description: 'Display names (profile `name`) starting with this text, ignoring case.',
  })
  @IsOptional()
  @IsString()
  @Length(1, MAX_PREFIX_LENGTH)
  @Matches(PREFIX_TEXT, { message: 'namePrefix must not contain control characters' })
  namePrefix?: string;
}

export class PrincipalIdParams {
  @ApiProperty({ pattern: TOKEN_PART_ID.source })
  @Matches(TOKEN_PART_ID, {
    message: 'principalId must be a principal id (22 base64url characters)',
  })
  principalId!: string;
}

export class SessionIdParams extends PrincipalIdParams {
  @ApiProperty({ pattern: TOKEN_PART_ID.source })
  @Matches(TOKEN_PART_ID, { message: 'sessionId must be a session id (22 base64url characters)' })
  sessionId!: string;
}
