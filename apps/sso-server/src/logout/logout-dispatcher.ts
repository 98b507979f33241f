import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  Clock,
  DeliveryAttempt,
  FirstAttemptLease,
  LeasedNotification,
  LogoutDeliveryTrigger,
  LogoutNotification,
  RandomSource,
  RecordNotifications,
  Settlement,
} from '@tessera/core';
import {
  decideAfterAttempt,
  giveUpUnsent,
  isPastDeadline,
  LogoutOutbox,
  LogoutTokenIssuer,
  randomId,
} from '@tessera/core';
import { ServiceSettings } from '../config/service-settings';
import { CLOCK, RANDOM } from '../core/injection-tokens';
import { postLogoutToken } from './post-logout-token';

const PRUNE_EVERY_MS = 10 * 60 * 1000;

type SignedToken = { token: string } | { error: string };

/**
 * Delivers the outbox's back-channel logouts from this instance. Every instance runs one; they
 * share the outbox through leases (docs/single-logout.md, "Delivery"). At most `parallelism`
 * deliveries are in flight; a leased one beyond that waits here for room. Outcomes are recorded
 * in batches: whatever finished while the previous batch was being written goes in the next,
 * so a fan-out costs a few database writes, not two per app.
 */
@Injectable()
export class LogoutDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LogoutDispatcher');
  /** Random per instance, so a lease names the process that holds it, even after a restart. */
  readonly owner: string;
  private timer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  /** Deliveries under way, plus room held while new notifications are being recorded. */
  private inFlight = 0;
  /** Leased by this instance, waiting for room; started first as deliveries finish. */
  private readonly waiting: { leased: LeasedNotification; token?: Promise<SignedToken> }[] = [];
  private leasing = false;
  private leaseAgain = false;
  /** Whether due notifications may be waiting for room (the last pass filled all it had). */
  private backlog = false;
  private stopped = false;
  private readonly aborts = new Set<AbortController>();
  private readonly unsettled: Settlement[] = [];
  private settling = false;

  constructor(
    private readonly outbox: LogoutOutbox,
    private readonly issuer: LogoutTokenIssuer,
    private readonly settings: ServiceSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RANDOM) private readonly random: RandomSource,
  ) {
    this.owner = randomId(random, 12);
  }

  onApplicationBootstrap(): void {
    // unref: a pending pass never keeps the process alive.
    this.timer = setInterval(() => this.kick(), this.settings.logout.dispatchIntervalMs).unref();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
    this.kick();
  }

  /** Deletes settled notifications past their retention, and old leases (any instance may). */
  async prune(): Promise<void> {
    const now = this.clock.now();
    try {
      await this.outbox.prune(now, now - this.settings.logout.retentionMs);
    } catch (error) {
      this.logger.warn(`pruning the logout outbox failed: ${(error as Error).message}`);
    }
  }

  /**
   * Stops at once and abandons open requests without recording anything: leases then expire and
   * another instance takes the entries over, exactly as after a crash, so one path covers both.
   */
  onModuleDestroy(): void {
    this.stopped = true;
    this.waiting.length = 0;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    for (const abort of this.aborts) abort.abort();
  }

  /** Ends record their notifications through this, so this instance sends them at once. */
  readonly trigger: LogoutDeliveryTrigger = {
    recordAndStart: (notifications, record) => this.recordAndStart(notifications, record),
  };

  /**
   * Records new notifications with the first attempt of as many as there is room for leased to
   * this instance in the same insert, and starts those straight from memory; the rest are left
   * to a pass. The room is held while recording, so concurrent ends do not lease more than it.
   */
  private async recordAndStart(
    notifications: readonly LogoutNotification[],
    record: RecordNotifications,
  ): Promise<LogoutNotification[]> {
    const mine = notifications.slice(0, this.stopped ? 0 : Math.max(this.room(), 0));
    const lease: FirstAttemptLease | undefined =
      mine.length === 0
        ? undefined
        : {
            owner: this.owner,
            until: this.clock.now() + this.settings.logout.leaseMs,
            ids: new Set(mine.map((n) => n.id)),
          };
    let recorded: LogoutNotification[];
    let tokens = new Map<string, Promise<SignedToken>>();
    this.inFlight += mine.length;
    try {
      const recording = record(lease);
      // Signing is CPU work and recording a wait on the database: overlap them.
      tokens = new Map(mine.map((n) => [n.id, this.sign(n)]));
      recorded = await recording;
    } finally {
      this.inFlight -= mine.length;
      // The room held here may be what a delivery leased meanwhile is waiting for.
      this.drain();
    }
    if (lease) {
      for (const notification of recorded.filter((n) => lease.ids.has(n.id))) {
        this.start(
          { notification, attempts: 0, leaseUntil: lease.until },
          tokens.get(notification.id),
        );
      }
    }
    // Unleased ones are for a pass; so is room a pass found taken while it was held here.
    if (this.backlog || recorded.some((n) => !lease?.ids.has(n.id))) this.kick();
    return recorded;
  }

  /** Deliveries this instance can still take on. */
  private room(): number {
    return this.settings.logout.parallelism - this.inFlight - this.waiting.length;
  }

  kick(): void {
    void this.fill();
  }

  /** Leases as many due notifications as there is room for; one leasing pass at a time. */
  private async fill(): Promise<void> {
    if (this.stopped) return;
    if (this.leasing) {
      this.leaseAgain = true;
      return;
    }
    this.leasing = true;
    try {
      do {
        this.leaseAgain = false;
        const room = this.room();
        if (room <= 0) {
          // More may be due than there is room for: a finished delivery passes again.
          this.backlog = true;
          break;
        }
        const leased = await this.outbox.leaseDue(
          this.owner,
          this.clock.now(),
          this.settings.logout.leaseMs,
          room,
        );
        if (this.stopped) return;
        this.backlog = leased.length >= room;
        for (const entry of leased) this.start(entry);
      } while (this.leaseAgain);
    } catch (error) {
      this.logger.warn(`leasing logout notifications failed: ${(error as Error).message}`);
    } finally {
      this.leasing = false;
    }
  }

  /** Starts a leased delivery, in turn after those already waiting for room. */
  private start(leased: LeasedNotification, token?: Promise<SignedToken>): void {
    if (this.stopped) return;
    this.waiting.push({ leased, token });
    this.drain();
  }

  /**
   * Starts waiting deliveries, oldest first, while fewer than `parallelism` are in flight. One
   * whose outcome could no longer be recorded in time is dropped unsent: its lease runs out and
   * the entry is taken over, so nothing is ever sent by an instance whose lease is ending.
   */
  private drain(): void {
    while (!this.stopped && this.inFlight < this.settings.logout.parallelism) {
      const next = this.waiting.shift();
      if (!next) return;
      if (this.recordBy(next.leased) <= this.clock.now()) {
        this.logger.warn(
          `lease of ${next.leased.notification.id} ran out while it waited; left for a takeover`,
        );
        continue;
      }
      this.inFlight++;
      void this.deliver(next.leased, next.token).finally(() => {
        this.inFlight--;
        if (this.waiting.length > 0) this.drain();
        // Without a backlog the regular pass is soon enough: no query per finished delivery.
        else if (this.backlog) this.kick();
      });
    }
  }

  private async deliver(leased: LeasedNotification, token?: Promise<SignedToken>): Promise<void> {
    const { notification } = leased;
    const abort = new AbortController();
    this.aborts.add(abort);
    // The request must end before the lease does, or a takeover could overlap it.
    const budget = Math.min(
      this.settings.logout.requestTimeoutMs,
      this.recordBy(leased) - this.clock.now(),
    );
    const timer = setTimeout(() => abort.abort(), Math.max(budget, 0)).unref();
    try {
      const now = this.clock.now();
      let decision;
      if (isPastDeadline(notification, this.settings.logout, now)) {
        decision = giveUpUnsent(leased.attempts, leased.lastError);
      } else {
        const attempt = await this.attempt(leased, token ?? this.sign(notification), abort.signal);
        if (this.stopped) return;
        decision = decideAfterAttempt(
          notification,
          leased.attempts,
          attempt,
          this.clock.now(),
          this.settings.logout,
          this.random.bytes(4).readUInt32BE() / 2 ** 32,
        );
      }
      this.unsettled.push({ leased, decision });
      void this.settleFinished();
    } catch (error) {
      // The lease expires and the entry is retried by whichever instance leases it next.
      this.logger.warn(`delivering ${notification.id} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
  }

  /**
   * Until when an outcome may still be recorded: a quarter of the lease before its end, so the
   * write lands while no other instance can have taken the entry over.
   */
  private recordBy(leased: LeasedNotification): number {
    return leased.leaseUntil - this.settings.logout.leaseMs / 4;
  }

  /** Records the finished deliveries; one batch at a time, the next gathers meanwhile. */
  private async settleFinished(): Promise<void> {
    if (this.settling) return;
    this.settling = true;
    try {
      while (this.unsettled.length > 0 && !this.stopped) {
        const finished = this.unsettled.splice(0, this.settings.logout.parallelism);
        const now = this.clock.now();
        const batch = finished.filter(({ leased }) => now < this.recordBy(leased));
        for (const { leased } of finished.filter((s) => !batch.includes(s))) {
          this.logger.warn(
            `lease of ${leased.notification.id} ran out before its outcome was recorded`,
          );
        }
        try {
          const lost = await this.outbox.settle(batch, now);
          for (const leased of lost) {
            this.logger.warn(`lost the lease of logout notification ${leased.notification.id}`);
          }
        } catch (error) {
          // Their leases expire and the entries are retried; a repeat is harmless to receivers.
          this.logger.warn(
            `recording ${batch.length} deliveries failed: ${(error as Error).message}`,
          );
        }
      }
    } finally {
      this.settling = false;
    }
  }

  /** The logout token, or why it could not be signed; never rejects. */
  private sign(notification: LogoutNotification): Promise<SignedToken> {
    return this.issuer.issue(notification).then(
      (token) => ({ token }),
      (error: unknown) => ({ error: `signing failed: ${(error as Error).message}` }),
    );
  }

  private async attempt(
    leased: LeasedNotification,
    signed: Promise<SignedToken>,
    signal: AbortSignal,
  ): Promise<DeliveryAttempt> {
    const result = await signed;
    if ('error' in result) return { ok: false, error: result.error };
    return postLogoutToken(leased.notification.backchannelLogoutUri, result.token, signal);
  }
}
