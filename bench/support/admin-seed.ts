import type * as Core from '@tessera/core';
import type { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import type * as MapperFile from '../../libs/persistence/src/principal/principal.mapper';
import type * as FieldsFile from '../../libs/persistence/src/principal/principal-summary.fields';
import { seededRandom } from '../../e2e/support/seeded-random';
import { fromDist } from './tessera-sessions';

/** The service's default timeouts, which the benchmark's service runs with. */
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 60 * 60_000;
const APPS = ['shop', 'portal', 'crm', 'wiki', 'mail'];

export interface Seeded {
  principals: number;
  online: number;
  sessions: number;
  ended: number;
  expired: number;
}

/**
 * Principals as the store writes them: sessions mapped by the persistence mapper and the summary
 * fields computed by the same functions the store uses. One to three sessions each, over five
 * apps; about 1 in 10 sessions ended (awaiting completion) and 1 in 10 past its idle expiry.
 */
export async function seedPrincipals(
  db: ReturnType<MongoClient['db']>,
  count: number,
  now: number,
): Promise<Seeded> {
  const core = fromDist<typeof Core>('libs/core/src');
  const mapper = fromDist<typeof MapperFile>('libs/persistence/src/principal/principal.mapper');
  const fields = fromDist<typeof FieldsFile>(
    'libs/persistence/src/principal/principal-summary.fields',
  );
  const timeouts = {
    idleTimeoutMs: IDLE_MS,
    absoluteLifetimeMs: ABSOLUTE_MS,
    touchIntervalMs: 5000,
  };
  const random = seededRandom(42);
  const id = () => randomBytes(16).toString('base64url');
  const seeded: Seeded = { principals: count, online: 0, sessions: 0, ended: 0, expired: 0 };
  const collection = db.collection('principals');
  for (let start = 0; start < count; start += 1000) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const sessions = new Map<string, Core.SsoSession>();
      for (let s = 0, n = 1 + Math.floor(random() * 3); s < n; s++) {
        const kind = random();
        const createdAt = now - Math.floor(random() * 6 * 60 * 60_000);
        const lastAccessAt =
          kind < 0.1 ? now - IDLE_MS - 60_000 : now - Math.floor(random() * 20 * 60_000);
        const joined = APPS.filter(() => random() < 0.4);
        const sid = id();
        sessions.set(sid, {
          id: sid,
          validatorHash: randomBytes(32).toString('base64url'),
          createdAt: Math.min(createdAt, lastAccessAt),
          lastAccessAt,
          ...(kind > 0.9 ? { endedAt: now - 1000, endCause: 'logout' } : {}),
          client: { ip: `10.0.${i % 256}.${s}`, userAgent: 'Mozilla/5.0 (bench)' },
          appSessions: new Map(
            joined.map((clientId) => {
              const handleId = id().slice(0, 16);
              return [
                handleId,
                { handleId, clientId, validatorHash: 'h', createdAt: lastAccessAt },
              ];
            }),
          ),
          codes: new Map(),
          attributes: {
            shared: new Map([
              [
                'cart',
                {
                  value: JSON.stringify([`sku-${i}`, `sku-${s}`]),
                  time: lastAccessAt,
                  writer: 'shop',
                },
              ],
              ['locale', { value: '"en-GB"', time: lastAccessAt, writer: 'portal' }],
            ]),
            private: new Map([
              [
                'shop',
                new Map([['theme', { value: '"dark"', time: lastAccessAt, writer: 'shop' }]]),
              ],
            ]),
            sharedRev: 2,
            privateRevs: new Map([['shop', 1]]),
          },
        });
        seeded.sessions++;
        if (kind > 0.9) seeded.ended++;
        else if (kind < 0.1) seeded.expired++;
      }
      const summary = core.summarizeSessions(sessions.values(), timeouts);
      if (summary.liveUntil !== undefined && summary.liveUntil > now) seeded.online++;
      const stored = fields.summaryUpdate(summary);
      const profile = { name: `User ${i}`, email: `user${i}@example.test` };
      const lastActivityAt = Math.max(...[...sessions.values()].map((s) => s.lastAccessAt));
      batch.push({
        _id: id(),
        realm: i % 10 === 0 ? 'partners' : 'example',
        subject: `local:user-${String(i).padStart(7, '0')}`,
        profile: mapper.encodeNames(profile),
        profileRev: 1,
        rev: 3,
        createdAt: new Date(now - 7 * 24 * 60 * 60_000),
        lastActivityAt: new Date(lastActivityAt),
        sessions: Object.fromEntries(
          [...sessions].map(([sid, s]) => [sid, mapper.toStoredSession(s)]),
        ),
        ...stored.set,
        nameLower: fields.nameLowerOf(profile),
      });
    }
    await collection.insertMany(batch as never[], { ordered: false });
  }
  return seeded;
}
