import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Clock, LeasedNotification, LogoutDeliveryTrigger, RandomSource } from '@tessera/core';
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

/**
 * Delivers the outbox's back-channel logouts from this instance. Every instance runs one; they
 * share the outbox through leases (docs/single-logout.md, "Delivery"). At most `parallelism`
 * deliveries are in flight; a finished one makes room, and the loop leases more at once.
 */
@Injectable()
export class LogoutDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LogoutDispatcher');
  /** Random per instance, so a lease names the process that holds it, even after a restart. */
  readonly owner: string;
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private leasing = false;
  private leaseAgain = false;
  private stopped = false;
  private readonly aborts = new Set<AbortController>();

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
    this.kick();
  }

  /**
   * Stops at once and abandons open requests without recording anything: leases then expire and
   * another instance takes the entries over, exactly as after a crash, so one path covers both.
   */
  onModuleDestroy(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const abort of this.aborts) abort.abort();
  }

  /** Looks for due notifications now (also called after a session end records some). */
  /** Starts a pass now when an end has just recorded notifications. */
  readonly trigger: LogoutDeliveryTrigger = { notificationsRecorded: () => this.kick() };

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
        const room = this.settings.logout.parallelism - this.inFlight;
        if (room <= 0) break;
        const leased = await this.outbox.leaseDue(
          this.owner,
          this.clock.now(),
          this.settings.logout.leaseMs,
          room,
        );
        if (this.stopped) return;
        for (const entry of leased) this.start(entry);
      } while (this.leaseAgain);
    } catch (error) {
      this.logger.warn(`leasing logout notifications failed: ${(error as Error).message}`);
    } finally {
      this.leasing = false;
    }
  }

  private start(leased: LeasedNotification): void {
    this.inFlight++;
    void this.deliver(leased).finally(() => {
      this.inFlight--;
      this.kick();
    });
  }

  private async deliver(leased: LeasedNotification): Promise<void> {
    const { notification } = leased;
    const abort = new AbortController();
    this.aborts.add(abort);
    // The request must end before the lease does, or a takeover could overlap it.
    const budget = Math.min(
      this.settings.logout.requestTimeoutMs,
      leased.leaseUntil - this.clock.now(),
    );
    const timer = setTimeout(() => abort.abort(), Math.max(budget, 0)).unref();
    try {
      const now = this.clock.now();
      let decision;
      if (isPastDeadline(notification, this.settings.logout, now)) {
        decision = giveUpUnsent(leased.attempts, leased.lastError);
      } else {
        const attempt = await this.attempt(leased, abort.signal);
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
      if (!(await this.outbox.settle(leased, this.owner, decision))) {
        this.logger.warn(`lost the lease of logout notification ${notification.id}`);
      }
    } catch (error) {
      // The lease expires and the entry is retried by whichever instance leases it next.
      this.logger.warn(`delivering ${notification.id} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
  }

  private async attempt(leased: LeasedNotification, signal: AbortSignal) {
    let token: string;
    try {
      token = await this.issuer.issue(leased.notification);
    } catch (error) {
      return { ok: false as const, error: `signing failed: ${(error as Error).message}` };
    }
    return postLogoutToken(leased.notification.backchannelLogoutUri, token, signal);
  }
}
