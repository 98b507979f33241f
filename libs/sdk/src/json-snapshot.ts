import type { JsonValue } from './session-view';
import { deepFreeze } from './session-view';

/**
 * A frozen JSON copy of `value` as it is at the call, or a TypeError when JSON would lose or change
 * it: undefined at the top or in an array, functions, symbols, bigints, NaN/Infinity, Maps and Sets,
 * cycles. An `undefined` object property is omitted, as JSON.stringify does. Dates become strings,
 * so this request reads exactly what later requests will read.
 */
export function jsonSnapshot(value: unknown, key: string): JsonValue {
  if (value === undefined) {
    throw new TypeError(`cannot set ${JSON.stringify(key)} to undefined; use remove()`);
  }
  const text = JSON.stringify(value, function (this: unknown, name: string, item: unknown) {
    const problem = problemOf(item, Array.isArray(this));
    if (problem !== undefined) {
      const where = name === '' ? '' : ` at ${JSON.stringify(name)}`;
      throw new TypeError(`the value of ${JSON.stringify(key)} is not JSON: ${problem}${where}`);
    }
    return item;
  });
  return deepFreeze(JSON.parse(text) as JsonValue);
}

function problemOf(item: unknown, inArray: boolean): string | undefined {
  switch (typeof item) {
    case 'undefined':
      return inArray ? 'undefined in an array' : undefined;
    case 'function':
    case 'symbol':
    case 'bigint':
      return `a ${typeof item}`;
    case 'number':
      return Number.isFinite(item) ? undefined : String(item);
    case 'object':
      return item instanceof Map || item instanceof Set ? `a ${item.constructor.name}` : undefined;
    default:
      return undefined;
  }
}
