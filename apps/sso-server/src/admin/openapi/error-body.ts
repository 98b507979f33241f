import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody as ErrorFilterBody } from '../../http/error-filter';

/**
 * The schema of every error answer. `implements` keeps it in step with what ErrorFilter
 * (http/error-filter.ts) really sends.
 */
export class ErrorBody implements ErrorFilterBody {
  @ApiProperty({ example: 400, description: 'The HTTP status, repeated.' })
  statusCode!: number;

  @ApiProperty({
    example: 'invalid_request',
    description:
      'A stable code: `invalid_request`, `not_found`, `invalid_token`, … (see the docs).',
  })
  error!: string;

  @ApiProperty({
    example: 'limit must not be greater than 200',
    description: 'For people; a 500 gives only a reference id that the service log also shows.',
  })
  message!: string;

  @ApiPropertyOptional({
    description: 'The same text, under the name OAuth clients read (/token).',
  })
  error_description?: string;

  @ApiPropertyOptional({
    example: 'maxValueBytes',
    description: 'The limit broken (413 and 422 of the session API).',
  })
  limit?: string;
}
