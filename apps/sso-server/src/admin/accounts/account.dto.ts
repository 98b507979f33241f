import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AccountSummary } from '@tessera/core';
import { localSubject, MAX_USERNAME_LENGTH } from '@tessera/core';
import { REALM_NAME } from './account-names';

export class AccountProfileView {
  @ApiPropertyOptional({ maxLength: 200, description: 'Display name.' }) name?: string;
  @ApiPropertyOptional({ maxLength: 254 }) email?: string;
}

/** A local account as the admin API shows it; there is no password hash field to leak. */
export class AccountView {
  @ApiProperty({
    example: 'local:u7QmZ1b0Rk2n8yV3xW4aQg',
    description: 'The subject apps see; stable when the username changes.',
  })
  subject!: string;

  @ApiProperty({ pattern: REALM_NAME.source, example: 'example' }) realm!: string;

  @ApiProperty({ maxLength: MAX_USERNAME_LENGTH, example: 'ada', description: 'Normalised.' })
  username!: string;

  @ApiProperty({ type: AccountProfileView }) profile!: AccountProfileView;

  @ApiProperty({ description: 'False: every sign-in is refused.' }) enabled!: boolean;

  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  @ApiProperty({ format: 'date-time', description: 'Last disable, enable or password reset.' })
  updatedAt!: string;

  @ApiProperty({ format: 'date-time' }) passwordChangedAt!: string;
}

/** The answer of a disable or a password reset: the account, and the sessions it ended. */
export class AccountChangeView extends AccountView {
  @ApiPropertyOptional({
    minimum: 0,
    description: 'Sessions of the account ended through single logout, when asked to end them.',
  })
  sessionsEnded?: number;
}

export class AccountPageView {
  @ApiProperty({ type: [AccountView] }) items!: AccountView[];
  @ApiPropertyOptional({ description: 'Absent on the last page.' }) nextCursor?: string;
}

export function presentAccount(account: AccountSummary): AccountView {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    subject: localSubject(account),
    realm: account.realm,
    username: account.username,
    profile: { ...account.profile },
    enabled: !account.disabled,
    createdAt: iso(account.createdAt),
    updatedAt: iso(account.updatedAt),
    passwordChangedAt: iso(account.passwordChangedAt),
  };
}
