import { BadRequestException, HttpException } from '@nestjs/common';
import { versionsIn } from '../../http/etag';

export const PRECONDITION_REQUIRED = 428;

/**
 * The app version an If-Match header names: undefined for `*` or (when allowed) no header.
 * One tag of digits only; anything else is refused before any change runs.
 */
export function expectedVersionOf(
  header: string | undefined,
  required: boolean,
): number | undefined {
  if (header === undefined) {
    if (!required) return undefined;
    throw new HttpException(
      'If-Match is required: send the ETag of the app as last read, so no change is lost',
      PRECONDITION_REQUIRED,
    );
  }
  const versions = versionsIn(header);
  if (versions === 'any') return undefined;
  // The whole header must be the one tag: `garbage "3"` names nothing and is refused.
  const oneTag = /^\s*(?:W\/)?"[^"]*"\s*$/.test(header);
  if (
    !oneTag ||
    versions?.length !== 1 ||
    !/^[1-9]\d{0,14}$/.test(versions[0]) ||
    header.length > 64
  ) {
    throw new BadRequestException('If-Match must be one ETag of the app, such as "3"');
  }
  // If-Match compares strongly (RFC 9110, 13.1.1): a weak tag matches no version, so the change
  // is refused with 412 and the current ETag, like any stale one. Versions start at 1.
  if (header.trim().startsWith('W/')) return NO_VERSION;
  return Number(versions[0]);
}

const NO_VERSION = 0;
