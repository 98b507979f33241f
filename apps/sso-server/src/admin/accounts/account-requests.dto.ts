import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEFAULT_PASSWORD_RULES, MAX_USERNAME_LENGTH } from '@tessera/core';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../shared/page-query.dto';
import { IsUsername, MAX_USERNAME_INPUT, REALM_MESSAGE, REALM_NAME } from './account-names';

/** Bounds the input only; the length in characters is the password rules' business (core). */
const MAX_PASSWORD_INPUT = DEFAULT_PASSWORD_RULES.maxLength * 2;
const PASSWORD_DOC = `${DEFAULT_PASSWORD_RULES.minLength} to ${DEFAULT_PASSWORD_RULES.maxLength} characters; no composition rules.`;

export class ListAccountsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: REALM_NAME.source, description: 'Only this realm.' })
  @IsOptional()
  @IsString()
  @Matches(REALM_NAME, { message: REALM_MESSAGE })
  realm?: string;

  @ApiPropertyOptional({
    maxLength: MAX_USERNAME_LENGTH,
    description: 'Only usernames starting with it (normalised like usernames, matched literally).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_USERNAME_LENGTH)
  usernamePrefix?: string;
}

/** `:realm/:username` of the routes on one account. */
export class AccountParams {
  @ApiProperty({ pattern: REALM_NAME.source, example: 'example' })
  @Matches(REALM_NAME, { message: REALM_MESSAGE })
  realm!: string;

  @ApiProperty({
    maxLength: MAX_USERNAME_INPUT,
    example: 'ada',
    description: 'Any spelling that normalises to the username (NFKC, lower case, trimmed).',
  })
  @IsUsername()
  username!: string;
}

export class CreateAccountDto {
  @ApiProperty({
    pattern: REALM_NAME.source,
    example: 'example',
    description: 'A configured realm.',
  })
  @IsString()
  @Matches(REALM_NAME, { message: REALM_MESSAGE })
  realm!: string;

  @ApiProperty({ maxLength: MAX_USERNAME_INPUT, example: 'ada' })
  @IsString()
  @IsUsername()
  username!: string;

  @ApiProperty({ format: 'password', maxLength: MAX_PASSWORD_INPUT, description: PASSWORD_DOC })
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT)
  password!: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  name?: string;

  @ApiPropertyOptional({ maxLength: 254, example: 'ada@example.test' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  email?: string;
}

export class ResetPasswordDto {
  @ApiProperty({ format: 'password', maxLength: MAX_PASSWORD_INPUT, description: PASSWORD_DOC })
  @IsString()
  @MaxLength(MAX_PASSWORD_INPUT)
  password!: string;

  @ApiPropertyOptional({
    default: false,
    description:
      "Also end the account's live sessions through single logout (cause `admin`), as after a compromise.",
  })
  @IsOptional()
  @IsBoolean()
  endSessions?: boolean;
}

export class DisableAccountDto {
  @ApiPropertyOptional({
    default: true,
    description:
      "End the account's live sessions through single logout (cause `admin`); `false` leaves them to expire.",
  })
  @IsOptional()
  @IsBoolean()
  endSessions?: boolean;
}
