import { seededRandom } from './support/seeded-random';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';
import { sessionApi } from './support/session-api-client';

/**
 * Property: however batches from several apps (several instances each, on two service
 * instances sharing one database) interleave, the stored session equals the result of applying
 * every write in timestamp order. The reference below is written independently of the domain code.
 */
interface Write {
  app: string;
  key: string;
  op: 'set' | 'remove';
  value?: number;
  time: number;
}

const APPS = ['alpha', 'beta', 'gamma'];
const INSTANCES_PER_APP = 2;
const BATCHES_PER_INSTANCE = 12;
const SHARED_KEYS = ['cart', 'theme', 'lang', 'step'];
const PRIVATE_KEYS = ['p-token', 'p-pref'];

/** Greatest write by (time, set over remove, writer id, value text). */
function referenceWinner(writes: Write[]): Write | undefined {
  const rank = (w: Write) =>
    [
      w.time,
      w.op === 'set' ? 1 : 0,
      w.app,
      w.value === undefined ? '' : JSON.stringify(w.value),
    ] as const;
  return [...writes]
    .sort((a, b) => {
      const [ra, rb] = [rank(a), rank(b)];
      for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] < rb[i] ? -1 : 1;
      return 0;
    })
    .at(-1);
}

function expectedView(writes: Write[], app: string) {
  const shared: Record<string, number> = {};
  const own: Record<string, number> = {};
  for (const key of SHARED_KEYS) {
    const winner = referenceWinner(writes.filter((w) => w.key === key));
    if (winner?.op === 'set') shared[key] = winner.value!;
  }
  for (const key of PRIVATE_KEYS) {
    const winner = referenceWinner(writes.filter((w) => w.key === key && w.app === app));
    if (winner?.op === 'set') own[key] = winner.value!;
  }
  return { shared, private: own };
}

describe('concurrent writers merge by timestamp (property test, real database)', () => {
  let first: TestService;
  let second: TestService;

  beforeAll(async () => {
    const apps = APPS.map((clientId) => ({
      clientId,
      secret: `${clientId}-secret`,
      attributePolicy: { privateKeys: ['p-*'] },
    }));
    first = await startTestService({ apps });
    second = await startTestService({ apps, database: first.database });
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it.each([11, 23, 47])('never loses a write that should win (seed %i)', async (seed) => {
    const random = seededRandom(seed);
    const sso = await first.signIn(`racer-${seed}`);
    const tokens = Object.fromEntries(
      await Promise.all(APPS.map(async (app) => [app, await first.joinApp(sso, app)])),
    );
    const base = Date.now() - 60_000;
    const all: Write[] = [];
    let value = 0;

    const writers = APPS.flatMap((app) =>
      Array.from({ length: INSTANCES_PER_APP }, (_, instance) => {
        const api = sessionApi((instance === 0 ? first : second).url, app, `${app}-secret`);
        const batches = Array.from({ length: BATCHES_PER_INSTANCE }, () =>
          Array.from({ length: 1 + Math.floor(random() * 4) }, (): Write => {
            const keys = random() < 0.7 ? SHARED_KEYS : PRIVATE_KEYS;
            const key = keys[Math.floor(random() * keys.length)];
            // A narrow window of times makes collisions, late arrivals and exact ties common.
            const time = base + Math.floor(random() * 40);
            return random() < 0.25
              ? { app, key, op: 'remove', time }
              : { app, key, op: 'set', value: ++value, time };
          }),
        );
        all.push(...batches.flat());
        return async () => {
          for (const batch of batches) {
            const response = await api.patch(tokens[app], {
              operations: batch.map(({ op, key, value: v, time }) =>
                op === 'set' ? { op, key, value: v, time } : { op, key, time },
              ),
            });
            if (response.status !== 200)
              throw new Error(`${response.status} ${await response.text()}`);
          }
        };
      }),
    );
    await Promise.all(writers.map((run) => run()));

    for (const app of APPS) {
      const response = await sessionApi(first.url, app, `${app}-secret`).get(tokens[app]);
      const view = (await response.json()) as { attributes: unknown };
      expect(view.attributes).toEqual(expectedView(all, app));
    }
  });
});
