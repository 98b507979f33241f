import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REALM_NAME } from '@tessera/core';
import { IsOptional, IsString, Matches } from 'class-validator';
import { AppSettingsFields, IsClientId } from '../../config/app-settings';
import { PageQueryDto } from '../shared/page-query.dto';

const REALM_MESSAGE = 'realm must be a realm name such as "example" (a-z, 0-9, -)';
const CLIENT_ID_DOC = { pattern: '^[A-Za-z0-9_-]{1,64}$', example: 'shop' };

export class ListAppsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: REALM_NAME.source, description: 'Only apps of this realm.' })
  @IsOptional()
  @IsString()
  @Matches(REALM_NAME, { message: REALM_MESSAGE })
  realm?: string;
}

/** `:clientId` of the routes on one app. */
export class ClientIdParams {
  @ApiProperty(CLIENT_ID_DOC)
  @IsClientId()
  clientId!: string;
}

/** POST /admin/v1/apps: the same shape and rules as an app of the realms file, minus the secret. */
export class RegisterAppDto extends AppSettingsFields {
  @ApiProperty({ ...CLIENT_ID_DOC, description: 'Unique across all realms; never changes.' })
  @IsClientId()
  clientId!: string;

  @ApiProperty({
    pattern: REALM_NAME.source,
    example: 'example',
    description: 'A realm of the realms file.',
  })
  @IsString()
  @Matches(REALM_NAME, { message: REALM_MESSAGE })
  realm!: string;
}

/** PATCH /admin/v1/apps/:clientId: only the fields given change. */
export class UpdateAppDto extends AppSettingsFields {}
