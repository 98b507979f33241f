import { InvalidAttributeOperation } from '../errors';

/**
 * Attribute keys are stored as document field names, which must not contain `.` or start with
 * `$` (MongoDB and FerretDB), and must never be `__proto__`. Percent-encoding (with `.` encoded
 * too) behind a fixed `k:` prefix makes every key an app can send a safe, reversible field name.
 */
const PREFIX = 'k:';

export function encodeAttributeKey(key: string): string {
  return PREFIX + encodeURIComponent(key).replace(/\./g, '%2E');
}

export function decodeAttributeKey(field: string): string {
  if (!field.startsWith(PREFIX)) {
    throw new Error(`stored attribute field ${JSON.stringify(field)} lacks the key prefix`);
  }
  return decodeURIComponent(field.slice(PREFIX.length));
}

/** Keys must be non-empty, well-formed unicode (no lone surrogates) and free of control characters. */
export function assertValidAttributeKey(key: string): void {
  if (key.length === 0) {
    throw new InvalidAttributeOperation('attribute keys must not be empty');
  }
  if (!key.isWellFormed()) {
    throw new InvalidAttributeOperation(
      `attribute key ${JSON.stringify(key)} is not well-formed unicode`,
    );
  }
  if (/\p{Cc}/u.test(key)) {
    throw new InvalidAttributeOperation(
      `attribute key ${JSON.stringify(key)} contains a control character`,
    );
  }
}
