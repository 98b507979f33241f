import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './page-cursor';

describe('page cursors', () => {
  it('round-trips a key of its own list', () => {
    const cursor = encodeCursor('audit', [1_700_000_000_000, 'id']);
    expect(decodeCursor('audit', cursor, ['number', 'string'])).toEqual([1_700_000_000_000, 'id']);
  });

  it.each([
    ['another list', encodeCursor('apps', [1, 'id'])],
    ['a time no Date can hold', encodeCursor('audit', [1e300, 'id'])],
    ['a negative time no Date can hold', encodeCursor('audit', [-8.64e15 - 1, 'id'])],
    ['a fractional time', encodeCursor('audit', [1.5, 'id'])],
    ['a string where a time belongs', encodeCursor('audit', ['1', 'id'])],
    ['a key too long', encodeCursor('audit', [1, 'x'.repeat(257)])],
  ])('refuses %s with 400', (_label, cursor) => {
    expect(() => decodeCursor('audit', cursor, ['number', 'string'])).toThrow(BadRequestException);
  });
});
