import { InvalidAttributeOperation } from '../errors';
import { assertValidAttributeKey } from './attribute-key';
import type { AttributeOperation } from './merge';

/**
 * Guards the domain against operations that no valid request can produce, whatever the
 * HTTP layer checked: bad keys, times that are not finite, a set without a value.
 */
export function assertValidOperation(op: AttributeOperation): void {
  assertValidAttributeKey(op.key);
  if (!Number.isFinite(op.time)) {
    throw new InvalidAttributeOperation(
      `the time of the write of ${JSON.stringify(op.key)} is not a finite number`,
    );
  }
  if (op.kind === 'set' && typeof op.value !== 'string') {
    throw new InvalidAttributeOperation(`the write of ${JSON.stringify(op.key)} has no value`);
  }
  if (op.kind === 'remove' && op.value !== undefined) {
    throw new InvalidAttributeOperation(`the removal of ${JSON.stringify(op.key)} carries a value`);
  }
}
