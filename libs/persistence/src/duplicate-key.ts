import type { Model } from 'mongoose';

/** MongoDB's error code for a unique index refusing an insert. */
const DUPLICATE_KEY = 11000;

/** Whether a single write failed because its `_id` (or another unique key) was already there. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | undefined)?.code === DUPLICATE_KEY;
}

/**
 * The positions an unordered bulk insert refused because their `_id` (or another unique key)
 * was already there; undefined when it failed for any other reason too.
 */
function duplicatePositions(error: unknown): Set<number> | undefined {
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

/**
 * Inserts `docs` in one unordered insert and answers those that went in: a document whose `_id`
 * was there already is left out (on every server that insert is the atomic step). Any other
 * failure is thrown.
 */
export async function insertNew<T>(model: Model<T>, docs: readonly T[]): Promise<T[]> {
  if (docs.length === 0) return [];
  try {
    await model.insertMany([...docs], { ordered: false, lean: true });
    return [...docs];
  } catch (error) {
    const refused = duplicatePositions(error);
    if (!refused) throw error;
    return docs.filter((_, i) => !refused.has(i));
  }
}
