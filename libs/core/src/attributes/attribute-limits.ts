import { AttributeLimitExceeded } from '../errors';
import type { SessionAttributes } from './attribute-entry';
import { isTombstone } from './attribute-entry';
import type { AttributeOperation } from './merge';

/** Configurable bounds on what one app may store in one session (defaults in docs/configuration.md). */
export interface AttributeLimits {
  /** Longest key, in UTF-16 code units. */
  readonly maxKeyLength: number;
  /** Largest value, as UTF-8 bytes of its JSON text. */
  readonly maxValueBytes: number;
  /** Bytes (keys + values) of the attributes an app owns in one session: its private ones and the shared ones it wrote last. */
  readonly maxBytesPerApp: number;
  /** Number of live keys an app owns in one session, counted like the bytes. */
  readonly maxKeysPerApp: number;
  /** Operations in one batch. */
  readonly maxOperationsPerBatch: number;
}

export const DEFAULT_ATTRIBUTE_LIMITS: AttributeLimits = {
  maxKeyLength: 256,
  maxValueBytes: 16 * 1024,
  maxBytesPerApp: 128 * 1024,
  maxKeysPerApp: 256,
  maxOperationsPerBatch: 256,
};

/** Checks each operation on its own: batch size, key length and value size. */
export function checkOperationLimits(
  operations: readonly AttributeOperation[],
  limits: AttributeLimits,
): void {
  if (operations.length > limits.maxOperationsPerBatch) {
    throw new AttributeLimitExceeded(
      'maxOperationsPerBatch',
      'count',
      `a batch has ${operations.length} operations; the limit maxOperationsPerBatch is ${limits.maxOperationsPerBatch}`,
    );
  }
  for (const op of operations) {
    if (op.key.length > limits.maxKeyLength) {
      throw new AttributeLimitExceeded(
        'maxKeyLength',
        'count',
        `key ${JSON.stringify(op.key.slice(0, 40))}… is ${op.key.length} characters long; the limit maxKeyLength is ${limits.maxKeyLength}`,
      );
    }
    const bytes = op.value === undefined ? 0 : Buffer.byteLength(op.value);
    if (bytes > limits.maxValueBytes) {
      throw new AttributeLimitExceeded(
        'maxValueBytes',
        'size',
        `the value of ${JSON.stringify(op.key)} is ${bytes} bytes; the limit maxValueBytes is ${limits.maxValueBytes}`,
      );
    }
  }
}

export interface AttributeUsage {
  readonly keys: number;
  readonly bytes: number;
}

/** What an app owns in a session: its live private entries and the live shared entries it wrote last. */
export function usageOf(attributes: SessionAttributes, clientId: string): AttributeUsage {
  let keys = 0;
  let bytes = 0;
  const count = (key: string, value: string | undefined) => {
    keys += 1;
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value ?? '');
  };
  for (const [key, entry] of attributes.shared) {
    if (entry.writer === clientId && !isTombstone(entry)) count(key, entry.value);
  }
  for (const [key, entry] of attributes.private.get(clientId) ?? []) {
    if (!isTombstone(entry)) count(key, entry.value);
  }
  return { keys, bytes };
}

/**
 * Refuses a batch that leaves the app over a limit. A batch that only lowers usage passes even
 * when the app was already over (for example after a limit was lowered), so removals always work.
 */
export function checkUsageLimits(
  before: AttributeUsage,
  after: AttributeUsage,
  limits: AttributeLimits,
): void {
  if (after.bytes > limits.maxBytesPerApp && after.bytes > before.bytes) {
    throw new AttributeLimitExceeded(
      'maxBytesPerApp',
      'size',
      `the app's attributes in this session would take ${after.bytes} bytes; the limit maxBytesPerApp is ${limits.maxBytesPerApp}`,
    );
  }
  if (after.keys > limits.maxKeysPerApp && after.keys > before.keys) {
    throw new AttributeLimitExceeded(
      'maxKeysPerApp',
      'count',
      `the app would own ${after.keys} keys in this session; the limit maxKeysPerApp is ${limits.maxKeysPerApp}`,
    );
  }
}
