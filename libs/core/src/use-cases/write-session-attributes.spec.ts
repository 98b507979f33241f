import type { RegisteredApp } from '../apps/registered-app';
import { DEFAULT_ATTRIBUTE_LIMITS } from '../attributes/attribute-limits';
import { AttributePolicy, DEFAULT_POLICY_SPEC } from '../attributes/attribute-policy';
import type { AttributeOperation } from '../attributes/merge';
import { ManualClock } from '../clock';
import { InvalidAttributeOperation, InvalidSessionToken } from '../errors';
import { PrincipalStore } from '../ports/principal-store';
import type { SessionSettings } from '../session/session-settings';
import { formatAppSessionToken } from '../tokens/split-token';
import { WriteSessionAttributes } from './write-session-attributes';

const NOW = Date.UTC(2030, 0, 1);

/** A store that knows no session and records every call, so a test sees whether it was reached. */
class RecordingEmptyStore extends PrincipalStore {
  readonly calls: string[] = [];

  findOrCreatePrincipal(): never {
    throw new Error('not used');
  }
  findPrincipalId(): never {
    throw new Error('not used');
  }
  loadSession() {
    this.calls.push('loadSession');
    return Promise.resolve(undefined);
  }
  addSession(): never {
    throw new Error('not used');
  }
  addAppSession(): never {
    throw new Error('not used');
  }
  listDueForSweep(): never {
    throw new Error('not used');
  }
  setSweepAfter(): never {
    throw new Error('not used');
  }
  applyAttributeWrites() {
    this.calls.push('applyAttributeWrites');
    return Promise.resolve(false);
  }
  touchSession() {
    this.calls.push('touchSession');
    return Promise.resolve();
  }
  addAuthorizationCode(): never {
    throw new Error('not used');
  }
  redeemAuthorizationCode(): never {
    throw new Error('not used');
  }
  removeAppSession(): never {
    throw new Error('not used');
  }
  loadPrincipal(): never {
    throw new Error('not used');
  }
  endSessions(): never {
    throw new Error('not used');
  }
  removeSessions(): never {
    throw new Error('not used');
  }
  deletePrincipalIfEmpty(): never {
    throw new Error('not used');
  }
}

const settings: SessionSettings = {
  timeouts: { idleTimeoutMs: 3_600_000, absoluteLifetimeMs: 86_400_000, touchIntervalMs: 60_000 },
  limits: DEFAULT_ATTRIBUTE_LIMITS,
  maxClockSkewMs: 5_000,
  tombstoneRetentionMs: 600_000,
  maxWriteAttempts: 3,
  authorizationCodeTtlMs: 60_000,
};

const app: RegisteredApp = {
  clientId: 'shop',
  realm: 'acme',
  secretHash: 'unused',
  policy: new AttributePolicy(DEFAULT_POLICY_SPEC),
  enabled: true,
  redirectUris: [],
  postLogoutRedirectUris: [],
};

/** Well-formed, so a batch that passes validation goes on to read the session. */
const token = formatAppSessionToken({
  principalId: 'P'.repeat(22),
  sessionId: 'S'.repeat(22),
  handleId: 'H'.repeat(16),
  validator: 'V'.repeat(43),
});

function setup() {
  const store = new RecordingEmptyStore();
  const useCase = new WriteSessionAttributes(store, new ManualClock(NOW), settings);
  const write = (operations: AttributeOperation[]) => useCase.execute({ token, app, operations });
  return { store, write };
}

const valid: AttributeOperation = { kind: 'set', key: 'theme', value: '"dark"', time: NOW };

describe('WriteSessionAttributes, operation checks', () => {
  it.each<[string, AttributeOperation]>([
    ['a NaN time', { kind: 'set', key: 'k', value: '1', time: Number.NaN }],
    ['an infinite time', { kind: 'remove', key: 'k', time: Number.POSITIVE_INFINITY }],
    ['a set without a value', { kind: 'set', key: 'k', time: NOW }],
    ['a removal with a value', { kind: 'remove', key: 'k', value: '1', time: NOW }],
    ['a malformed key', { kind: 'set', key: 'a\ud800', value: '1', time: NOW }],
  ])('refuses a batch holding %s before reading or writing the session', async (_name, invalid) => {
    const { store, write } = setup();
    await expect(write([valid, invalid])).rejects.toBeInstanceOf(InvalidAttributeOperation);
    expect(store.calls).toEqual([]);
  });

  it('lets a batch of valid operations through to the session lookup', async () => {
    const { store, write } = setup();
    await expect(
      write([valid, { kind: 'remove', key: 'cart', time: NOW - 1 }]),
    ).rejects.toBeInstanceOf(InvalidSessionToken);
    expect(store.calls).toEqual(['loadSession']);
  });
});
