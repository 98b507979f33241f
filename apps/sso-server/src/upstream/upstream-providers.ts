import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Clock } from '@tessera/core';
import type { IdentityProviderConfig } from '../config/realms-config';
import { RealmsConfig } from '../config/realms-config';
import { ServiceSettings } from '../config/service-settings';
import { CLOCK } from '../core/injection-tokens';
import { discoverProvider } from './discover-provider';
import type { ReadyProvider } from './ready-provider';
import { callbackUrlOf, startPathOf } from './ready-provider';

/** What the login page shows for each provider it offers. */
export interface UpstreamProviderLink {
  readonly id: string;
  readonly displayName: string;
  /** Append `?csrf=<the pending login's csrf>`; use a link, not a form (see docs/upstream-oidc.md). */
  readonly startPath: string;
}

interface Slot {
  readonly realm: string;
  readonly provider: IdentityProviderConfig;
  ready?: ReadyProvider;
  lastAttemptAt: number;
  attempt?: Promise<void>;
}

/** Bounds start-up: a provider that does not answer in time is retried later. */
const DISCOVERY_TIMEOUT_SECONDS = 10;
/** How long a provider whose discovery failed waits before the next attempt. */
const RETRY_AFTER_MS = 60_000;

/**
 * The upstream OpenID providers of every realm. Discovery runs at start-up; a provider that
 * fails it is logged, left out of the login page, and retried (at most once a minute, when
 * someone asks for it), while the service and the other providers carry on.
 */
@Injectable()
export class UpstreamProviders implements OnModuleInit {
  private readonly logger = new Logger('UpstreamProviders');
  private readonly slots = new Map<string, Slot>();

  constructor(
    realms: RealmsConfig,
    private readonly settings: ServiceSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    for (const realm of realms.realms) {
      for (const provider of realm.identityProviders) {
        this.slots.set(keyOf(realm.name, provider.id), {
          realm: realm.name,
          provider,
          lastAttemptAt: 0,
        });
      }
    }
  }

  async onModuleInit(): Promise<void> {
    await Promise.all([...this.slots.values()].map((slot) => this.discover(slot)));
  }

  /** The providers of `realm` that are ready for sign-in, in configuration order. */
  listReady(realm: string): UpstreamProviderLink[] {
    const links: UpstreamProviderLink[] = [];
    for (const slot of this.slots.values()) {
      if (slot.realm !== realm) continue;
      this.retryIfDue(slot);
      if (slot.ready) {
        links.push({
          id: slot.provider.id,
          displayName: slot.provider.displayName,
          startPath: startPathOf(realm, slot.provider.id),
        });
      }
    }
    return links;
  }

  /** The provider, if it is configured for the realm and ready. */
  find(realm: string, providerId: string): ReadyProvider | undefined {
    const slot = this.slots.get(keyOf(realm, providerId));
    if (!slot) return undefined;
    this.retryIfDue(slot);
    return slot.ready;
  }

  private retryIfDue(slot: Slot): void {
    if (!slot.ready && !slot.attempt && this.clock.now() - slot.lastAttemptAt >= RETRY_AFTER_MS) {
      void this.discover(slot);
    }
  }

  private discover(slot: Slot): Promise<void> {
    slot.lastAttemptAt = this.clock.now();
    const { realm, provider } = slot;
    const name = `"${realm}/${provider.id}" (${provider.issuer})`;
    slot.attempt = discoverProvider(provider, {
      production: this.settings.production,
      env: process.env,
      timeoutSeconds: DISCOVERY_TIMEOUT_SECONDS,
    })
      .then((config) => {
        slot.ready = {
          realm,
          id: provider.id,
          displayName: provider.displayName,
          config,
          callbackUrl: callbackUrlOf(this.settings.publicUrl.origin, realm, provider.id),
          scope: [...new Set(['openid', ...provider.scopes])].join(' '),
        };
        this.logger.log(`upstream provider ${name} is ready`);
      })
      .catch((error: unknown) => {
        this.logger.warn(
          `upstream provider ${name}: discovery failed (${describe(error)}); ` +
            `it is left off the login page and retried in ${RETRY_AFTER_MS / 1000} s at the earliest`,
        );
      })
      .finally(() => {
        slot.attempt = undefined;
      });
    return slot.attempt;
  }
}

function keyOf(realm: string, providerId: string): string {
  return `${realm}/${providerId}`;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
