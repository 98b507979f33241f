import { emptyAttributes } from '../attributes/attribute-entry';
import type { SsoSession } from '../session/sso-session';
import { decideConcurrentSessions } from './concurrent-sessions';

function session(id: string, createdAt: number): SsoSession {
  return {
    id,
    validatorHash: 'h',
    createdAt,
    lastAccessAt: createdAt,
    client: {},
    appSessions: new Map(),
    codes: new Map(),
    attributes: emptyAttributes(),
  };
}

describe('decideConcurrentSessions', () => {
  const two = [session('b', 20), session('a', 10)];

  it('admits without a policy, under the limit, and with allow', () => {
    expect(decideConcurrentSessions(undefined, two)).toEqual({ kind: 'admit' });
    expect(decideConcurrentSessions({ maxSessions: 3, strategy: 'invalidate-after' }, two)).toEqual(
      { kind: 'admit' },
    );
    expect(decideConcurrentSessions({ maxSessions: 1, strategy: 'allow' }, two)).toEqual({
      kind: 'admit',
    });
  });

  it('evicts the oldest sessions to make room (invalidate-before)', () => {
    expect(
      decideConcurrentSessions({ maxSessions: 2, strategy: 'invalidate-before' }, two),
    ).toEqual({ kind: 'evict', sessionIds: ['a'] });
    // A lowered limit evicts as many as it takes.
    expect(
      decideConcurrentSessions({ maxSessions: 1, strategy: 'invalidate-before' }, two),
    ).toEqual({ kind: 'evict', sessionIds: ['a', 'b'] });
  });

  it('breaks ties on sign-in time by id, so racing deciders agree', () => {
    const tied = [session('y', 10), session('x', 10)];
    expect(
      decideConcurrentSessions({ maxSessions: 2, strategy: 'invalidate-before' }, tied),
    ).toEqual({ kind: 'evict', sessionIds: ['x'] });
  });

  it('refuses at the limit (invalidate-after)', () => {
    expect(decideConcurrentSessions({ maxSessions: 2, strategy: 'invalidate-after' }, two)).toEqual(
      { kind: 'refuse', maxSessions: 2 },
    );
  });
});
