import type { PipeTransform } from '@nestjs/common';
import { BadRequestException, Injectable } from '@nestjs/common';

/**
 * For routes that take no query parameters: any parameter is refused with 400, as unknown ones
 * are on the lists (whose DTOs the global ValidationPipe checks with forbidNonWhitelisted).
 */
@Injectable()
export class NoQueryParams implements PipeTransform<Record<string, unknown>> {
  transform(query: Record<string, unknown>): Record<string, unknown> {
    const names = Object.keys(query ?? {});
    if (names.length > 0) {
      throw new BadRequestException(
        `this route takes no query parameters (got: ${names.join(', ')})`,
      );
    }
    return query;
  }
}
