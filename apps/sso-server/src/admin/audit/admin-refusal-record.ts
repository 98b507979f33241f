import { Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '@tessera/core';
import type { Request } from 'express';

/** Why an admin call was refused before it ran. */
export type AdminRefusalReason = 'no_token' | 'invalid_token' | 'insufficient_scope';

/** Refusals recorded per client address and minute; the rest are only counted in the log. */
export const REFUSALS_KEPT_PER_MINUTE = 10;
const MINUTE_MS = 60_000;
/** Addresses remembered per minute, so a flood from many addresses cannot grow the map. */
const MAX_ADDRESSES = 10_000;
const MAX_PATH = 256;

/**
 * Audits admin calls the access guard refused (401, 403): token guessing and revoked tokens still
 * in use are what an operator wants to see. Capped per client address and minute, so a caller
 * cannot flood the audit log by sending bad tokens.
 */
@Injectable()
export class AdminRefusalRecord {
  private readonly logger = new Logger('AdminRefusals');
  private minute = -1;
  private readonly seen = new Map<string, number>();

  constructor(private readonly audit: AuditTrail) {}

  async record(
    request: Request,
    reason: AdminRefusalReason,
    extra: { tokenId?: string; needed?: string } = {},
    now = Date.now(),
  ): Promise<void> {
    if (!this.admit(request.ip ?? 'unknown', now)) return;
    try {
      await this.audit.record({
        type: 'admin.refused',
        ...(request.ip === undefined ? {} : { clientIp: request.ip }),
        details: {
          reason,
          method: request.method,
          path: request.path.slice(0, MAX_PATH),
          ...(extra.tokenId === undefined ? {} : { tokenId: extra.tokenId }),
          ...(extra.needed === undefined ? {} : { needed: extra.needed }),
        },
      });
    } catch (error) {
      // The refusal stands either way; losing its record must not turn it into a 500.
      this.logger.warn(`recording an admin refusal failed: ${(error as Error).message}`);
    }
  }

  private admit(address: string, now: number): boolean {
    const minute = Math.floor(now / MINUTE_MS);
    if (minute !== this.minute) {
      this.minute = minute;
      this.seen.clear();
    }
    const count = this.seen.get(address) ?? 0;
    if (count >= REFUSALS_KEPT_PER_MINUTE) return false;
    if (count === 0 && this.seen.size >= MAX_ADDRESSES) return false;
    this.seen.set(address, count + 1);
    return true;
  }
}
