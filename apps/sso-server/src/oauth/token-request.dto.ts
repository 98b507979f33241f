import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /token parameters (RFC 6749 section 4.1.3, RFC 7636 section 4.5). */
export class TokenRequest {
  @ApiProperty({ enum: ['authorization_code'], maxLength: 64 })
  @IsString({ message: 'grant_type is required' })
  @MaxLength(64)
  grant_type!: string;

  @ApiProperty({ maxLength: 512, description: 'The one-time code from the login redirect.' })
  @IsString({ message: 'code is required' })
  @MaxLength(512)
  code!: string;

  @ApiProperty({ maxLength: 2048, description: 'Exactly as sent to /authorize.' })
  @IsString({ message: 'redirect_uri is required' })
  @MaxLength(2048)
  redirect_uri!: string;

  @ApiProperty({ maxLength: 128, description: 'The PKCE verifier (S256).' })
  @IsString({ message: 'code_verifier is required (PKCE)' })
  @MaxLength(128)
  code_verifier!: string;

  /** client_secret_post, for clients that cannot send HTTP Basic. */
  @ApiPropertyOptional({ maxLength: 64, description: 'client_secret_post, instead of Basic.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  client_id?: string;

  @ApiPropertyOptional({ maxLength: 1024, description: 'client_secret_post, instead of Basic.' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  client_secret?: string;
}
