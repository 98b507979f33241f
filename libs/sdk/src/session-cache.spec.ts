import type { CachedSession } from './session-cache';
import { SessionCache } from './session-cache';
import type { SessionView } from './session-view';

function entry(sessionId: string, version = 'v1', subject = 'ada'): CachedSession {
  const view = {
    principal: { subject },
    session: { id: sessionId },
    version,
  } as unknown as SessionView;
  return { view, etag: `"${version}"`, expiresAtMs: Infinity, validatedAt: 0 };
}

describe('SessionCache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new SessionCache(2);
    cache.set('a', entry('s1'));
    cache.set('b', entry('s2'));
    cache.get('a'); // a is now the most recently used
    cache.set('c', entry('s3'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('replaces an entry in place and refreshes its recency', () => {
    const cache = new SessionCache(2);
    cache.set('a', entry('s1', 'v1'));
    cache.set('b', entry('s2'));
    cache.set('a', entry('s1', 'v2'));
    cache.set('c', entry('s3'));
    expect(cache.get('a')?.etag).toBe('"v2"');
    expect(cache.get('b')).toBeUndefined();
  });

  it('drops every session of a subject at once, and only those', () => {
    const cache = new SessionCache(10);
    cache.set('a', entry('s1', 'v1', 'ada'));
    cache.set('b', entry('s2', 'v1', 'ada'));
    cache.set('c', entry('s3', 'v1', 'bob'));
    const before = cache.generation;
    cache.deleteSubject('ada');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.generation).toBeGreaterThan(before);
    // The session index was kept in step: nothing left to drop for s1.
    cache.set('a', entry('s1', 'v1', 'ada'));
    cache.deleteSession('s1');
    expect(cache.size).toBe(1);
  });

  it('drops every token of a session at once', () => {
    const cache = new SessionCache(10);
    cache.set('a', entry('s1'));
    cache.set('b', entry('s1'));
    cache.set('c', entry('s2'));
    cache.deleteSession('s1');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeDefined();
    cache.deleteSession('unknown');
    expect(cache.size).toBe(1);
  });

  it('keeps the session index in step with evictions, deletions and re-keyed entries', () => {
    const cache = new SessionCache(1);
    cache.set('a', entry('s1'));
    cache.set('b', entry('s2')); // evicts a
    cache.set('a', entry('s1'));
    cache.deleteSession('s2'); // b was already evicted; must not touch a
    expect(cache.get('a')).toBeDefined();

    cache.set('a', entry('s9')); // same token, now reported under another session id
    cache.deleteSession('s1');
    expect(cache.get('a')).toBeDefined();
    cache.deleteSession('s9');
    expect(cache.size).toBe(0);
  });

  it('deletes single entries and clears', () => {
    const cache = new SessionCache(10);
    cache.set('a', entry('s1'));
    cache.set('b', entry('s2'));
    cache.delete('a');
    cache.delete('missing');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('changes its generation when state is dropped on purpose, not on eviction', () => {
    const cache = new SessionCache(1);
    const start = cache.generation;
    cache.set('a', entry('s1'));
    cache.set('b', entry('s2')); // evicts a
    cache.delete('missing');
    expect(cache.generation).toBe(start);
    cache.delete('b');
    expect(cache.generation).toBe(start + 1);
    cache.deleteSession('not-cached-yet'); // a first load may be in flight for it
    cache.clear();
    expect(cache.generation).toBe(start + 3);
  });

  it('caches nothing with capacity 0 and refuses a bad capacity', () => {
    const cache = new SessionCache(0);
    cache.set('a', entry('s1'));
    expect(cache.get('a')).toBeUndefined();
    expect(() => new SessionCache(-1)).toThrow(RangeError);
    expect(() => new SessionCache(1.5)).toThrow(RangeError);
  });
});
