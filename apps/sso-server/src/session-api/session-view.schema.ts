import { ApiProperty } from '@nestjs/swagger';
import type { SessionViewBody } from './session-view.presenter';

/** OpenAPI schemas of the session view; `implements` keeps them in step with the presenter. */
class SessionViewPrincipalSchema implements Readonly<SessionViewBody['principal']> {
  @ApiProperty({ example: 'local:u7QmZ1b0Rk2n8yV3xW4aQg' }) subject!: string;
  @ApiProperty({ example: 'example' }) realm!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { name: 'Ada' },
    description: 'Claims from the account or the upstream provider.',
  })
  profile!: Record<string, string>;
}

class SessionViewSessionSchema implements Readonly<SessionViewBody['session']> {
  @ApiProperty({ description: 'The public session id (never a token).' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastAccessAt!: string;
  @ApiProperty({ format: 'date-time' }) idleExpiresAt!: string;
  @ApiProperty({ format: 'date-time' }) absoluteExpiresAt!: string;

  @ApiProperty({ format: 'date-time', description: 'The earlier of the two expiries.' })
  expiresAt!: string;
}

const ATTRIBUTE_MAP = {
  type: 'object',
  additionalProperties: true,
  description: 'Attribute key to its JSON value.',
} as const;

class SessionViewAttributesSchema implements Readonly<SessionViewBody['attributes']> {
  @ApiProperty({ ...ATTRIBUTE_MAP, example: { cart: ['book'] } })
  shared!: Record<string, unknown>;

  @ApiProperty({
    ...ATTRIBUTE_MAP,
    description: "This app's private attributes; never a key of `shared`.",
  })
  private!: Record<string, unknown>;
}

/** The merged session as one app sees it (GET and PATCH /api/v1/session, POST /token). */
export class SessionViewSchema implements Readonly<SessionViewBody> {
  @ApiProperty({ type: SessionViewPrincipalSchema }) principal!: SessionViewPrincipalSchema;
  @ApiProperty({ type: SessionViewSessionSchema }) session!: SessionViewSessionSchema;

  @ApiProperty({ example: '3.1.1.Xh2kQ0aZ', description: 'Also the ETag, quoted.' })
  version!: string;

  @ApiProperty({ type: SessionViewAttributesSchema }) attributes!: SessionViewAttributesSchema;
}
