import type { TestingModule } from '@nestjs/testing';
import * as argon2 from 'argon2';
import { Argon2SecretHasher } from '../../../../apps/sso-server/src/security/argon2-secret-hasher';
import { InvalidCredentials, TooManyLoginAttempts } from '../accounts/account-errors';
import { AccountStore } from '../accounts/account-store';
import { CreateLocalAccount } from '../accounts/create-local-account';
import type { LoginEvent } from '../accounts/login-events';
import { LoginEventSink } from '../accounts/login-events';
import { DEFAULT_LOGIN_THROTTLE } from '../accounts/login-throttle';
import { LoginThrottleStore } from '../accounts/login-throttle-store';
import { ManualClock } from '../clock';
import { SecretHasher } from '../ports/secret-hasher';
import { cryptoRandom } from '../random';
import { SignInWithPassword } from './sign-in-with-password';
import type { PersistenceUnderTest } from '../../../../e2e/support/persistence-under-test';
import { startPersistence } from '../../../../e2e/support/persistence-under-test';

/**
 * The production hasher with the cheapest argon2id parameters: the same code paths (dummy hash
 * for unknown users included) at a millisecond a check instead of half a second, so throttling
 * runs of dozens of attempts stay fast. One test uses the library defaults.
 */
class CheapArgon2Hasher extends Argon2SecretHasher {
  override hash(secret: string): Promise<string> {
    return argon2.hash(secret, {
      type: argon2.argon2id,
      memoryCost: 1024,
      timeCost: 1,
      parallelism: 1,
    });
  }
}

/** Counts every verification, and how long each took, around a real hasher. */
class CountingHasher extends SecretHasher {
  readonly verified: { hash: string | undefined; ms: number }[] = [];

  constructor(private readonly inner: SecretHasher) {
    super();
  }

  hash(secret: string): Promise<string> {
    return this.inner.hash(secret);
  }

  async verify(hash: string | undefined, secret: string): Promise<boolean> {
    const started = performance.now();
    const ok = await this.inner.verify(hash, secret);
    this.verified.push({ hash, ms: performance.now() - started });
    return ok;
  }
}

class RecordedEvents extends LoginEventSink {
  readonly events: LoginEvent[] = [];

  record(event: LoginEvent): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
}

const REALM = 'example';
const PASSWORD = 'correct-horse-battery';
const SECOND = 1000;

describe('SignInWithPassword (real database)', () => {
  let persistence: PersistenceUnderTest;
  let moduleRef: TestingModule;
  let accounts: AccountStore;
  let throttleStore: LoginThrottleStore;
  let ip = 0;

  beforeAll(async () => {
    persistence = await startPersistence('sign_in');
    moduleRef = persistence.moduleRef;
    accounts = moduleRef.get(AccountStore);
    throttleStore = moduleRef.get(LoginThrottleStore);
  });

  afterAll(async () => {
    await persistence.close();
  });

  /** A fresh client address per call, so tests do not share address counters unless they mean to. */
  const freshIp = () => `10.0.${Math.floor(++ip / 250)}.${ip % 250}`;

  async function setup(usernames: string[], inner: SecretHasher = new CheapArgon2Hasher()) {
    const clock = new ManualClock();
    const hasher = new CountingHasher(inner);
    const events = new RecordedEvents();
    const create = new CreateLocalAccount(accounts, hasher, clock, cryptoRandom);
    const created = [];
    for (const username of usernames) {
      created.push(
        await create.execute({
          realm: REALM,
          username,
          password: PASSWORD,
          name: 'Ada Lovelace',
          email: `${username}@example.test`,
        }),
      );
    }
    const signIn = new SignInWithPassword(
      accounts,
      throttleStore,
      hasher,
      clock,
      DEFAULT_LOGIN_THROTTLE,
      events,
    );
    const attempt = (username: string, password: string, clientIp = freshIp()) =>
      signIn.execute({ realm: REALM, username, password, clientIp });
    const failure = (username: string, password: string, clientIp?: string) =>
      attempt(username, password, clientIp).then(
        () => undefined,
        (error: unknown) => error,
      );
    return { clock, hasher, events, created, signIn, attempt, failure };
  }

  it('signs in with the right password as local:<account id>, with the profile', async () => {
    const { created, attempt, events, hasher } = await setup(['ada']);
    await expect(attempt(' ADA ', PASSWORD, '192.0.2.10')).resolves.toEqual({
      subject: `local:${created[0].id}`,
      profile: { username: 'ada', name: 'Ada Lovelace', email: 'ada@example.test' },
    });
    expect(hasher.verified).toHaveLength(1);
    expect(events.events).toEqual([
      expect.objectContaining({
        type: 'login.succeeded',
        realm: REALM,
        username: 'ada',
        subject: `local:${created[0].id}`,
        clientIp: '192.0.2.10',
      }),
    ]);
  });

  it('answers unknown user, wrong password, disabled account and nonsense alike', async () => {
    const { created, failure, events } = await setup(['same-1', 'same-disabled']);
    await accounts.updateAccount(created[1].id, { disabled: true, at: Date.now() });
    const errors = [
      await failure('nobody-here', PASSWORD),
      await failure('same-1', 'wrong-password-123'),
      await failure('same-disabled', PASSWORD),
      await failure('bad\u0000name', PASSWORD),
      await failure('same-1', 'x'.repeat(5000)),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(InvalidCredentials);
      expect(error).toEqual(new InvalidCredentials());
      expect((error as InvalidCredentials).code).toBe('invalid_credentials');
    }
    // Only the audit trail knows the difference.
    expect(events.events.map((e) => (e.type === 'login.failed' ? e.reason : e.type))).toEqual([
      'unknown_user',
      'wrong_password',
      'account_disabled',
      'invalid_input',
      'invalid_input',
    ]);
  });

  it('runs the real argon2id hash for unknown users as for known ones', async () => {
    const { attempt, hasher } = await setup(['timed'], new Argon2SecretHasher());
    await expect(attempt('timed', 'wrong-password-123')).rejects.toBeInstanceOf(InvalidCredentials);
    await expect(attempt('no-such-user', 'wrong-password-123')).rejects.toBeInstanceOf(
      InvalidCredentials,
    );
    await expect(attempt('timed', PASSWORD)).resolves.toBeDefined();
    expect(hasher.verified.map((v) => v.hash === undefined)).toEqual([false, true, false]);
    // The dummy check costs about what a real one does (a generous bound: timing varies on CI).
    const [known, unknown] = hasher.verified.map((v) => v.ms);
    expect(unknown).toBeGreaterThan(known * 0.3);
  }, 60_000);

  it('throttles one account across addresses with growing delays, without checking the password', async () => {
    const { clock, failure, hasher, events } = await setup(['target']);
    for (let i = 0; i < 4; i++) {
      expect(await failure('target', `guess-number-${i}`)).toBeInstanceOf(InvalidCredentials);
    }
    for (const wait of [1, 2, 4, 8].map((s) => s * SECOND)) {
      const checks = hasher.verified.length;
      const refused = await failure('target', PASSWORD); // even the right password
      expect(refused).toEqual(new TooManyLoginAttempts(wait));
      expect((refused as TooManyLoginAttempts).retryAfterMs).toBe(wait);
      clock.advance(wait - 1);
      expect(((await failure('TARGET', PASSWORD)) as TooManyLoginAttempts).retryAfterMs).toBe(1);
      expect(hasher.verified).toHaveLength(checks);
      clock.advance(1);
      expect(await failure('target', 'yet-another-guess')).toBeInstanceOf(InvalidCredentials);
      expect(hasher.verified).toHaveLength(checks + 1);
    }
    expect(events.events.filter((e) => e.type === 'login.throttled')).toHaveLength(8);
    expect(events.events.at(-2)).toMatchObject({
      type: 'login.throttled',
      username: 'target',
      retryAfterMs: 1,
    });
    // Blocked or not, unknown names are throttled the same way, so the throttle reveals nothing.
    for (let i = 0; i < 4; i++) await failure('ghost', `guess-number-${i}`);
    expect(((await failure('ghost', 'another-guess')) as TooManyLoginAttempts).retryAfterMs).toBe(
      SECOND,
    );
  });

  it('throttles one client address across accounts after 20 free failures', async () => {
    const { clock, failure, attempt } = await setup(['from-nat']);
    const nat = '203.0.113.50';
    for (let i = 0; i < 20; i++) {
      expect(await failure(`sprayed-${i}`, PASSWORD, nat)).toBeInstanceOf(InvalidCredentials);
    }
    expect(await failure('sprayed-20', PASSWORD, nat)).toBeInstanceOf(InvalidCredentials);
    expect(((await failure('from-nat', PASSWORD, nat)) as TooManyLoginAttempts).retryAfterMs).toBe(
      SECOND,
    );
    // Another address is not affected.
    await expect(attempt('from-nat', PASSWORD, '203.0.113.51')).resolves.toBeDefined();
    clock.advance(SECOND);
    expect(await failure('sprayed-21', PASSWORD, nat)).toBeInstanceOf(InvalidCredentials);
    expect(((await failure('from-nat', PASSWORD, nat)) as TooManyLoginAttempts).retryAfterMs).toBe(
      2 * SECOND,
    );
  });

  it('counts an IPv6 /64 as one address', async () => {
    const { failure } = await setup([]);
    for (let i = 0; i < 21; i++) {
      expect(await failure(`v6-user-${i}`, PASSWORD, `2001:db8:7:7::${i + 1}`)).toBeInstanceOf(
        InvalidCredentials,
      );
    }
    expect(await failure('v6-user-x', PASSWORD, '2001:db8:7:7:ffff::1')).toBeInstanceOf(
      TooManyLoginAttempts,
    );
  });

  it('resets the account counter on success', async () => {
    const { failure, attempt } = await setup(['forgetful']);
    for (let i = 0; i < 3; i++) await failure('forgetful', `guess-number-${i}`);
    await expect(attempt('forgetful', PASSWORD)).resolves.toBeDefined();
    for (let i = 0; i < 4; i++) {
      expect(await failure('forgetful', `guess-number-${i}`)).toBeInstanceOf(InvalidCredentials);
    }
    expect(await failure('forgetful', PASSWORD)).toBeInstanceOf(TooManyLoginAttempts);
  });

  it('neither resets nor counts the address on success', async () => {
    const { failure, attempt } = await setup(['office-1', 'office-2']);
    const office = '198.51.100.77';
    for (let i = 0; i < 19; i++) await failure(`typo-${i}`, PASSWORD, office);
    for (let i = 0; i < 5; i++)
      await expect(attempt('office-1', PASSWORD, office)).resolves.toBeDefined();
    expect(await failure('typo-19', PASSWORD, office)).toBeInstanceOf(InvalidCredentials); // 20th: free
    expect(await failure('typo-20', PASSWORD, office)).toBeInstanceOf(InvalidCredentials); // 21st: blocks
    expect(await failure('office-2', PASSWORD, office)).toBeInstanceOf(TooManyLoginAttempts);
  });

  it('forgets a streak after the quiet window that follows its block', async () => {
    const { clock, failure, attempt } = await setup(['patient']);
    const quiet = DEFAULT_LOGIN_THROTTLE.perAccount.quietWindowMs;
    for (let i = 0; i < 10; i++) {
      clock.advance(60 * SECOND); // longer than each block so far
      await failure('patient', `guess-number-${i}`);
    }
    expect(((await failure('patient', PASSWORD)) as TooManyLoginAttempts).retryAfterMs).toBe(
      64 * SECOND,
    );
    // A moment before the window ends the streak still counts: this is the 11th failure.
    clock.advance(64 * SECOND + quiet - 1);
    expect(await failure('patient', 'one-more-guess')).toBeInstanceOf(InvalidCredentials);
    expect(((await failure('patient', PASSWORD)) as TooManyLoginAttempts).retryAfterMs).toBe(
      128 * SECOND,
    );
    // After a full quiet window past the block, the free failures are back.
    clock.advance(128 * SECOND + quiet);
    for (let i = 0; i < 3; i++) {
      expect(await failure('patient', `fresh-guess-${i}`)).toBeInstanceOf(InvalidCredentials);
    }
    await expect(attempt('patient', PASSWORD)).resolves.toBeDefined();
  });

  it('admits at most the free failures plus one from a burst of parallel attempts', async () => {
    const { failure, hasher } = await setup(['burst']);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => failure('burst', `parallel-guess-${i}`)),
    );
    const checked = outcomes.filter((o) => o instanceof InvalidCredentials).length;
    expect(checked).toBeLessThanOrEqual(DEFAULT_LOGIN_THROTTLE.perAccount.freeFailures + 1);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(outcomes.filter((o) => o instanceof TooManyLoginAttempts)).toHaveLength(12 - checked);
    expect(hasher.verified).toHaveLength(checked);
  });

  it('throttles without an address when the client address is unknown', async () => {
    const { signIn } = await setup(['no-ip']);
    const run = (password: string) =>
      signIn.execute({ realm: REALM, username: 'no-ip', password }).catch((e: unknown) => e);
    for (let i = 0; i < 4; i++)
      expect(await run(`guess-number-${i}`)).toBeInstanceOf(InvalidCredentials);
    expect(await run(PASSWORD)).toBeInstanceOf(TooManyLoginAttempts);
  });
});
