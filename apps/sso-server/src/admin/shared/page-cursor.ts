import { BadRequestException } from '@nestjs/common';

/** Longest cursor accepted; a real one is far shorter. */
export const MAX_CURSOR_LENGTH = 512;

/** Every number in a cursor is a time in ms; beyond this a Date is invalid and a query fails. */
const MAX_TIME_MS = 8.64e15;

export type CursorValue = string | number;
export type CursorShape = readonly ('string' | 'number')[];

/**
 * Opaque keyset cursors for the admin lists. A cursor is the sort key of the last item shown,
 * tagged with the list it belongs to, so a cursor of one list is refused by another. Keyset
 * paging stays as fast on the thousandth page as on the first, unlike skip/offset.
 */
export function encodeCursor(list: string, key: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/** The key inside `cursor`, checked against the list and the shape; 400 when it does not fit. */
export function decodeCursor(list: string, cursor: string, shape: CursorShape): CursorValue[] {
  const malformed = () => new BadRequestException('cursor is malformed or belongs to another list');
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length + 1 || parsed[0] !== list) {
    throw malformed();
  }
  const key = parsed.slice(1) as unknown[];
  const fits = key.every((value, i) =>
    shape[i] === 'number'
      ? typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_TIME_MS
      : typeof value === 'string' && value.length <= 256,
  );
  if (!fits) throw malformed();
  return key as CursorValue[];
}
