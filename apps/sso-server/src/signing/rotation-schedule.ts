import type { SigningSettings } from './signing-settings';

/**
 * The rotation schedule as pure functions over the stored keys, so tests move a clock instead
 * of sleeping. Slots are aligned to the epoch, so every instance computes the same slot, and
 * the slot's key has a deterministic id (its start time): racing instances insert one key.
 */
export interface ScheduledKey {
  readonly slot: string;
  readonly activatesAt: number;
  readonly retiresAt?: number;
}

export type ScheduleSettings = Pick<
  SigningSettings,
  'rotationMs' | 'publishLeadMs' | 'retireAfterMs'
>;

export interface PlannedKey {
  readonly slot: string;
  readonly activatesAt: number;
}

export function slotStart(now: number, s: ScheduleSettings): number {
  return Math.floor(now / s.rotationMs) * s.rotationMs;
}

export function slotId(start: number): string {
  return new Date(start).toISOString();
}

/** The newest key already active: the one that signs. */
export function currentKey<K extends ScheduledKey>(
  keys: readonly K[],
  now: number,
  s: ScheduleSettings,
): K | undefined {
  return keys
    .filter((k) => k.activatesAt <= now && !isRetired(k, keys, now, s))
    .reduce<K | undefined>(
      (newest, k) => (newest && newest.activatesAt >= k.activatesAt ? newest : k),
      undefined,
    );
}

/** Every key not yet retired, the next one (not active yet) included. */
export function publishedKeys<K extends ScheduledKey>(
  keys: readonly K[],
  now: number,
  s: ScheduleSettings,
): K[] {
  return keys.filter((k) => !isRetired(k, keys, now, s));
}

/**
 * When a key retires: once its successor activated, plus the longest token lifetime and the
 * clock tolerance. Derived from the successor, so a lost `retiresAt` write changes nothing.
 */
export function retirementOf(
  key: ScheduledKey,
  keys: readonly ScheduledKey[],
  s: ScheduleSettings,
): number | undefined {
  const successor = keys
    .filter((k) => k.activatesAt > key.activatesAt)
    .reduce<ScheduledKey | undefined>(
      (first, k) => (first && first.activatesAt <= k.activatesAt ? first : k),
      undefined,
    );
  const derived = successor && successor.activatesAt + s.retireAfterMs;
  if (derived === undefined) return key.retiresAt;
  return key.retiresAt === undefined ? derived : Math.min(key.retiresAt, derived);
}

function isRetired(
  key: ScheduledKey,
  keys: readonly ScheduledKey[],
  now: number,
  s: ScheduleSettings,
): boolean {
  const retiresAt = retirementOf(key, keys, s);
  return retiresAt !== undefined && retiresAt <= now;
}

/**
 * The key to create at `now`, if any. With no active key (first start) one is created active
 * at once. Otherwise the slot's key is created from `publishLeadMs` before the slot starts,
 * and never activates sooner than `publishLeadMs` after it was published (after downtime the
 * old key keeps signing meanwhile).
 */
export function keyToCreate(
  keys: readonly ScheduledKey[],
  now: number,
  s: ScheduleSettings,
): PlannedKey | undefined {
  const thisSlot = slotStart(now, s);
  if (!currentKey(keys, now, s)) return { slot: slotId(thisSlot), activatesAt: now };
  const nextSlot = thisSlot + s.rotationMs;
  const target = now >= nextSlot - s.publishLeadMs ? nextSlot : thisSlot;
  // A key activating at or after the target start (such as the first key) already covers it.
  if (keys.some((k) => k.slot === slotId(target) || k.activatesAt >= target)) return undefined;
  return { slot: slotId(target), activatesAt: Math.max(target, now + s.publishLeadMs) };
}

/** When the key set must next be looked at, whatever the cache: the next publication moment. */
export function nextPublicationAt(now: number, s: ScheduleSettings): number {
  const next = slotStart(now, s) + s.rotationMs - s.publishLeadMs;
  return next > now ? next : next + s.rotationMs;
}
