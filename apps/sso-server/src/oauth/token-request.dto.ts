import { IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /token parameters (RFC 6749 section 4.1.3, RFC 7636 section 4.5). */
export class TokenRequest {
  @IsString({ message: 'grant_type is required' }) @MaxLength(64) grant_type!: string;
  @IsString({ message: 'code is required' }) @MaxLength(512) code!: string;
  @IsString({ message: 'redirect_uri is required' }) @MaxLength(2048) redirect_uri!: string;
  @IsString({ message: 'code_verifier is required (PKCE)' }) @MaxLength(128) code_verifier!: string;
  /** client_secret_post, for clients that cannot send HTTP Basic. */
  @IsOptional() @IsString() @MaxLength(64) client_id?: string;
  @IsOptional() @IsString() @MaxLength(1024) client_secret?: string;
}
