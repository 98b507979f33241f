import { emptyAttributes } from '../attributes/attribute-entry';
import { ManualClock } from '../clock';
import type { SessionTimeouts } from './expiry';
import { expiryOf, isSessionLive, isTouchDue } from './expiry';
import type { SsoSession } from './sso-session';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const TIMEOUTS: SessionTimeouts = {
  idleTimeoutMs: 30 * MINUTE,
  absoluteLifetimeMs: 8 * HOUR,
  touchIntervalMs: MINUTE,
};

function session(overrides: Partial<SsoSession> = {}): SsoSession {
  const createdAt = Date.UTC(2030, 0, 1);
  return {
    id: 'session-id',
    validatorHash: 'hash',
    createdAt,
    lastAccessAt: createdAt,
    client: {},
    appSessions: new Map(),
    codes: new Map(),
    attributes: emptyAttributes(),
    ...overrides,
  };
}

describe('expiryOf', () => {
  it('puts the idle expiry one idle timeout after the last access', () => {
    const s = session({ lastAccessAt: session().createdAt + 5 * MINUTE });
    expect(expiryOf(s, TIMEOUTS).idleExpiresAt).toBe(s.lastAccessAt + 30 * MINUTE);
  });

  it('puts the absolute expiry one lifetime after sign-in, whatever the last access', () => {
    const s = session({ lastAccessAt: session().createdAt + 7 * HOUR });
    expect(expiryOf(s, TIMEOUTS).absoluteExpiresAt).toBe(s.createdAt + 8 * HOUR);
  });

  it('answers the earlier of the two as expiresAt', () => {
    const fresh = session();
    expect(expiryOf(fresh, TIMEOUTS).expiresAt).toBe(fresh.createdAt + 30 * MINUTE);
    const busy = session({ lastAccessAt: fresh.createdAt + 7 * HOUR + 50 * MINUTE });
    expect(expiryOf(busy, TIMEOUTS).expiresAt).toBe(fresh.createdAt + 8 * HOUR);
  });
});

describe('isSessionLive', () => {
  it('slides the idle timeout with each recorded access', () => {
    const clock = new ManualClock();
    let s = session({ createdAt: clock.now(), lastAccessAt: clock.now() });
    for (let i = 0; i < 10; i++) {
      clock.advance(29 * MINUTE);
      expect(isSessionLive(s, TIMEOUTS, clock.now())).toBe(true);
      s = { ...s, lastAccessAt: clock.now() };
    }
    expect(clock.now() - s.createdAt).toBeGreaterThan(4 * HOUR);
  });

  it('ends a session exactly one idle timeout after the last access, not a millisecond earlier', () => {
    const clock = new ManualClock();
    const s = session({ createdAt: clock.now(), lastAccessAt: clock.now() });
    clock.advance(30 * MINUTE - 1);
    expect(isSessionLive(s, TIMEOUTS, clock.now())).toBe(true);
    clock.advance(1);
    expect(isSessionLive(s, TIMEOUTS, clock.now())).toBe(false);
  });

  it('ends a busy session at the absolute lifetime however recent the last access', () => {
    const clock = new ManualClock();
    const created = clock.now();
    clock.advance(8 * HOUR - 1);
    const s = session({ createdAt: created, lastAccessAt: clock.now() });
    expect(isSessionLive(s, TIMEOUTS, clock.now())).toBe(true);
    clock.advance(1);
    expect(isSessionLive(s, TIMEOUTS, clock.now())).toBe(false);
  });

  it('treats an ended session as not live even before either expiry', () => {
    const s = session();
    const ended = { ...s, endedAt: s.createdAt + 1, endCause: 'logout' };
    expect(isSessionLive(ended, TIMEOUTS, s.createdAt + 2)).toBe(false);
    expect(isSessionLive(ended, TIMEOUTS, s.createdAt)).toBe(false);
  });

  it('treats a session ended at time zero as ended (endedAt 0 is not "absent")', () => {
    expect(isSessionLive(session({ endedAt: 0 }), TIMEOUTS, session().createdAt)).toBe(false);
  });

  it('stays expired when the clock moves on', () => {
    const s = session();
    expect(isSessionLive(s, TIMEOUTS, s.createdAt + 9 * HOUR)).toBe(false);
  });
});

describe('isTouchDue', () => {
  it('is not due before the touch interval has passed since the last recorded access', () => {
    const s = session();
    expect(isTouchDue(s, TIMEOUTS, s.lastAccessAt)).toBe(false);
    expect(isTouchDue(s, TIMEOUTS, s.lastAccessAt + MINUTE - 1)).toBe(false);
  });

  it('is due once the touch interval has passed', () => {
    const s = session();
    expect(isTouchDue(s, TIMEOUTS, s.lastAccessAt + MINUTE)).toBe(true);
    expect(isTouchDue(s, TIMEOUTS, s.lastAccessAt + HOUR)).toBe(true);
  });

  it('is never due when the clock is behind the recorded access (another instance touched it)', () => {
    const s = session();
    expect(isTouchDue(s, TIMEOUTS, s.lastAccessAt - 10 * MINUTE)).toBe(false);
  });

  it('keeps a session alive when it is used at least once per idle timeout and touched when due', () => {
    const clock = new ManualClock();
    let s = session({ createdAt: clock.now(), lastAccessAt: clock.now() });
    // A request every 10 minutes; the access time is only written when a touch is due.
    for (let i = 0; i < 30; i++) {
      clock.advance(10 * MINUTE);
      expect(isSessionLive(s, TIMEOUTS, clock.now())).toBe(true);
      if (isTouchDue(s, TIMEOUTS, clock.now())) s = { ...s, lastAccessAt: clock.now() };
    }
  });

  // Documents the lag the touch interval allows: reads between touches do not move the idle
  // expiry, so a session can end up to one touch interval earlier than the last real request
  // plus the idle timeout. Configuration must keep touchIntervalMs well below idleTimeoutMs.
  it('lets the idle expiry lag the last real request by up to one touch interval', () => {
    const s = session();
    const lastRealRequest = s.lastAccessAt + MINUTE - 1; // not recorded: no touch was due
    expect(isTouchDue(s, TIMEOUTS, lastRealRequest)).toBe(false);
    expect(isSessionLive(s, TIMEOUTS, lastRealRequest + 30 * MINUTE - MINUTE + 1)).toBe(false);
  });
});
