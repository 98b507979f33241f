import type { AttributeOperation } from './client';
import { InvalidSessionError } from './errors';
import { RequestSession } from './request-session';
import type { AttributeMap, SessionView } from './session-view';
import { deepFreeze } from './session-view';

function viewOf(shared: AttributeMap, own: AttributeMap = {}, version = 'v1'): SessionView {
  return deepFreeze({
    principal: { subject: 'alice', realm: 'example.com', profile: { name: 'Alice' } },
    session: {
      id: 'sess-1',
      createdAt: '2030-01-01T00:00:00.000Z',
      lastAccessAt: '2030-01-01T00:00:00.000Z',
      idleExpiresAt: '2030-01-01T00:30:00.000Z',
      absoluteExpiresAt: '2030-01-01T08:00:00.000Z',
      expiresAt: '2030-01-01T00:30:00.000Z',
    },
    version,
    attributes: { shared, private: own },
  });
}

/** Stands in for the client: applies batches to a plain map and answers with the merged view. */
class StubSource {
  readonly calls: AttributeOperation[][] = [];
  failNext: Error | undefined;
  private shared: Record<string, unknown>;

  constructor(readonly initial: SessionView) {
    this.shared = { ...initial.attributes.shared };
  }

  patchSession(_token: string, operations: readonly AttributeOperation[]): Promise<SessionView> {
    this.calls.push([...operations]);
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure !== undefined) return Promise.reject(failure);
    for (const op of operations) {
      if (op.op === 'set') this.shared[op.key] = op.value;
      else delete this.shared[op.key];
    }
    return Promise.resolve(
      viewOf(structuredClone(this.shared) as AttributeMap, {}, `v${this.calls.length + 1}`),
    );
  }
}

function setup(shared: AttributeMap = { theme: 'dark' }, own: AttributeMap = {}) {
  let time = 1_000;
  const clock = () => time;
  const source = new StubSource(viewOf(shared, own));
  const session = new RequestSession(source, 'tsa.token', source.initial, clock);
  return { source, session, tick: (ms = 1) => (time += ms) };
}

describe('RequestSession reads', () => {
  it('exposes the principal and session id', () => {
    const { session } = setup();
    expect(session.principal.subject).toBe('alice');
    expect(session.sessionId).toBe('sess-1');
    expect(session.version).toBe('v1');
  });

  it('reads private before shared, and treats a stored null as present', () => {
    const { session } = setup({ a: 'shared', n: null }, { b: 'own' });
    expect(session.get('a')).toBe('shared');
    expect(session.get('b')).toBe('own');
    expect(session.get('n')).toBeNull();
    expect(session.has('n')).toBe(true);
    expect(session.has('missing')).toBe(false);
    expect(session.get('toString')).toBeUndefined();
    expect(session.keys().sort()).toEqual(['a', 'b', 'n']);
  });

  it('sees its own pending writes and removals', () => {
    const { session } = setup({ theme: 'dark', lang: 'en' });
    session.set('cart', { items: [1] });
    session.remove('lang');
    expect(session.get('cart')).toEqual({ items: [1] });
    expect(session.has('lang')).toBe(false);
    expect(session.keys().sort()).toEqual(['cart', 'theme']);
    expect(session.toJSON()).toEqual({ theme: 'dark', cart: { items: [1] } });
  });

  it('serves frozen values, so the shared cached copy cannot be changed by a request', () => {
    const { session } = setup({ cart: { items: [1] } });
    const cart = session.get<{ items: number[] }>('cart');
    expect(() => cart!.items.push(2)).toThrow(TypeError);
  });

  it('keeps "__proto__" an ordinary key in toJSON', () => {
    const { session } = setup({});
    session.set('__proto__', { polluted: true });
    const json = session.toJSON();
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(Object.hasOwn(json, '__proto__')).toBe(true);
  });
});

describe('RequestSession delta', () => {
  it('keeps the last operation per key with the time of its call', async () => {
    const { session, source, tick } = setup();
    session.set('cart', 1);
    tick();
    session.set('cart', 2);
    tick();
    session.remove('theme');
    tick();
    session.remove('cart');
    tick();
    session.set('cart', 3);
    await session.flush();
    expect(source.calls).toEqual([
      [
        { op: 'set', key: 'cart', value: 3, time: 1_004 },
        { op: 'remove', key: 'theme', time: 1_002 },
      ],
    ]);
  });

  it('copies a value at the call, so later changes to the object are not sent', async () => {
    const { session, source } = setup();
    const cart = { items: ['a'] };
    session.set('cart', cart);
    cart.items.push('b');
    expect(session.get('cart')).toEqual({ items: ['a'] });
    await session.flush();
    expect(source.calls[0][0]).toMatchObject({ value: { items: ['a'] } });
  });

  it('sends nothing when there is nothing to send', async () => {
    const { session, source } = setup();
    expect(session.isDirty).toBe(false);
    await session.flush();
    expect(source.calls).toHaveLength(0);
  });

  it('flushes once, resets the delta and adopts the merged view', async () => {
    const { session, source } = setup();
    session.set('cart', 'x');
    expect(session.isDirty).toBe(true);
    await session.flush();
    await session.flush();
    expect(source.calls).toHaveLength(1);
    expect(session.isDirty).toBe(false);
    expect(session.version).toBe('v2');
    expect(session.get('cart')).toBe('x');
  });

  it('keeps showing a batch in flight, and sends writes made meanwhile in a second batch', async () => {
    const { session, source } = setup();
    session.set('a', 1);
    const first = session.flush();
    expect(session.get('a')).toBe(1);
    session.set('b', 2);
    const second = session.flush();
    await Promise.all([first, second]);
    expect(source.calls.map((ops) => ops.map((op) => op.key))).toEqual([['a'], ['b']]);
    expect(session.toJSON()).toEqual({ theme: 'dark', a: 1, b: 2 });
  });

  it('keeps failed writes pending with their times, unless a later call replaced them', async () => {
    const { session, source, tick } = setup();
    session.set('a', 1);
    session.set('b', 1);
    source.failNext = new InvalidSessionError();
    const flushing = session.flush();
    tick();
    session.set('b', 2);
    await expect(flushing).rejects.toBeInstanceOf(InvalidSessionError);
    expect(session.isDirty).toBe(true);
    await session.flush();
    expect(source.calls[1]).toEqual(
      expect.arrayContaining([
        { op: 'set', key: 'a', value: 1, time: 1_000 },
        { op: 'set', key: 'b', value: 2, time: 1_001 },
      ]),
    );
    expect(source.calls[1]).toHaveLength(2);
  });
});

describe('RequestSession.set refuses values JSON would lose', () => {
  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a bigint', 10n],
    ['a symbol', Symbol('s')],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a nested function', { f: () => 1 }],
    ['a nested bigint', { n: [1n] }],
    ['undefined in an array', [1, undefined]],
    ['a Map', new Map([['a', 1]])],
    ['a Set', { tags: new Set(['a']) }],
  ])('refuses %s at the call', (_name, value) => {
    const { session } = setup();
    expect(() => session.set('k', value)).toThrow(TypeError);
    expect(session.isDirty).toBe(false);
  });

  it('refuses cycles and empty keys', () => {
    const { session } = setup();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => session.set('k', cycle)).toThrow(TypeError);
    expect(() => session.set('', 1)).toThrow(TypeError);
    expect(() => session.remove('')).toThrow(TypeError);
  });

  it('accepts JSON values, dropping undefined properties and turning dates into strings', () => {
    const { session } = setup();
    session.set('k', { a: 1, b: undefined, at: new Date(0), list: [null, true, 'x'] });
    expect(session.get('k')).toEqual({
      a: 1,
      at: '1970-01-01T00:00:00.000Z',
      list: [null, true, 'x'],
    });
    session.set('n', null);
    expect(session.get('n')).toBeNull();
  });
});
