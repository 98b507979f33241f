import { InvalidAttributeOperation } from '../errors';
import { assertValidOperation } from './attribute-operation-check';
import type { AttributeOperation } from './merge';

const NOW = Date.UTC(2030, 0, 1);

/** Builds operations the type system would refuse, as an unchecked request body could carry them. */
const raw = (op: Record<string, unknown>) => op as unknown as AttributeOperation;

function refusal(op: AttributeOperation): unknown {
  try {
    assertValidOperation(op);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('assertValidOperation', () => {
  describe('accepts', () => {
    it.each<[string, AttributeOperation]>([
      ['a set with a JSON value', { kind: 'set', key: 'theme', value: '"dark"', time: NOW }],
      ['a set of the empty string', { kind: 'set', key: 'theme', value: '""', time: NOW }],
      ['a set whose value text is empty', { kind: 'set', key: 'theme', value: '', time: NOW }],
      ['a removal without a value', { kind: 'remove', key: 'cart', time: NOW }],
      ['a time of zero', { kind: 'set', key: 'k', value: '1', time: 0 }],
      ['a negative time', { kind: 'remove', key: 'k', time: -1 }],
      ['a fractional time', { kind: 'set', key: 'k', value: '1', time: NOW + 0.5 }],
      ['a far-future finite time', { kind: 'set', key: 'k', value: '1', time: Number.MAX_VALUE }],
      ['a key with dots, `$` and unicode', { kind: 'set', key: '$a.b😀', value: '1', time: NOW }],
    ])('%s', (_name, op) => {
      expect(() => assertValidOperation(op)).not.toThrow();
    });
  });

  describe('refuses with InvalidAttributeOperation', () => {
    it.each<[string, AttributeOperation]>([
      ['a set with a NaN time', { kind: 'set', key: 'k', value: '1', time: Number.NaN }],
      ['a removal with a NaN time', { kind: 'remove', key: 'k', time: Number.NaN }],
      [
        'a set with an infinite time',
        { kind: 'set', key: 'k', value: '1', time: Number.POSITIVE_INFINITY },
      ],
      [
        'a removal with a minus-infinite time',
        { kind: 'remove', key: 'k', time: Number.NEGATIVE_INFINITY },
      ],
      ['a time that is not a number', raw({ kind: 'set', key: 'k', value: '1', time: '1' })],
      ['a missing time', raw({ kind: 'remove', key: 'k' })],
      ['a set without a value', { kind: 'set', key: 'k', time: NOW }],
      ['a set whose value is not a string', raw({ kind: 'set', key: 'k', value: 1, time: NOW })],
      ['a set whose value is null', raw({ kind: 'set', key: 'k', value: null, time: NOW })],
      ['a removal that carries a value', { kind: 'remove', key: 'k', value: '"x"', time: NOW }],
      ['a removal that carries an empty value', { kind: 'remove', key: 'k', value: '', time: NOW }],
      ['an empty key', { kind: 'set', key: '', value: '1', time: NOW }],
      ['a key with a lone surrogate', { kind: 'set', key: 'a\ud800', value: '1', time: NOW }],
      ['a key with a control character', { kind: 'remove', key: 'a\u0000b', time: NOW }],
      ['a key with a newline', { kind: 'set', key: 'a\nb', value: '1', time: NOW }],
    ])('%s', (_name, op) => {
      const error = refusal(op);
      expect(error).toBeInstanceOf(InvalidAttributeOperation);
      expect((error as InvalidAttributeOperation).code).toBe('invalid_request');
    });
  });

  it('names the key in the message of a refused time, value or removal', () => {
    const messages = [
      { kind: 'set', key: 'when', value: '1', time: Number.NaN },
      { kind: 'set', key: 'what', time: NOW },
      { kind: 'remove', key: 'gone', value: '1', time: NOW },
    ].map((op) => (refusal(op as AttributeOperation) as Error).message);
    expect(messages[0]).toContain('"when"');
    expect(messages[1]).toContain('"what"');
    expect(messages[2]).toContain('"gone"');
  });
});
