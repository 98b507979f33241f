/** MongoDB's error code for a unique index refusing an insert. */
export const DUPLICATE_KEY = 11000;

/**
 * The positions an unordered bulk insert refused because their `_id` (or another unique key)
 * was already there; undefined when it failed for any other reason too.
 */
export function duplicatePositions(error: unknown): Set<number> | undefined {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  if (writeErrors === undefined) return undefined;
  // The driver's WriteError has `code`; mongoose's unordered insertMany passes `{ err, index }`.
  const list = (Array.isArray(writeErrors) ? writeErrors : [writeErrors]) as {
    code?: number;
    index?: number;
    err?: { code?: number };
  }[];
  const isDuplicate = (e: (typeof list)[number]) =>
    (e?.code ?? e?.err?.code) === DUPLICATE_KEY && typeof e.index === 'number';
  if (!list.every(isDuplicate)) return undefined;
  return new Set(list.map((e) => e.index!));
}
