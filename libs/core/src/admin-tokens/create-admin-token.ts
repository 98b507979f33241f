import type { Clock } from '../clock';
import { TesseraError } from '../errors';
import type { AdminTokenStore } from '../ports/admin-token-store';
import type { RandomSource } from '../random';
import { hashValidator } from '../tokens/split-token';
import type { AdminScope, AdminToken } from './admin-token';
import { ADMIN_SCOPES, ADMIN_TOKEN_NAME } from './admin-token';
import { formatAdminToken, newAdminTokenParts } from './admin-token-value';

/** A name or scope that cannot make a token. */
export class InvalidAdminTokenInput extends TesseraError {
  readonly code = 'invalid_request';
}

export interface CreateAdminTokenCommand {
  readonly name: string;
  readonly scope: AdminScope;
}

export interface CreatedAdminToken {
  readonly token: AdminToken;
  /** The only time the value exists outside the caller's hands: it is stored as a hash. */
  readonly value: string;
}

/** Creates an admin API token and answers its value once. */
export class CreateAdminToken {
  constructor(
    private readonly store: AdminTokenStore,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async execute(command: CreateAdminTokenCommand): Promise<CreatedAdminToken> {
    if (!ADMIN_TOKEN_NAME.test(command.name)) {
      throw new InvalidAdminTokenInput(
        'name must be 1 to 64 characters without control characters',
      );
    }
    if (!ADMIN_SCOPES.includes(command.scope)) {
      throw new InvalidAdminTokenInput(`scope must be one of ${ADMIN_SCOPES.join(', ')}`);
    }
    const parts = newAdminTokenParts(this.random);
    const token: AdminToken = {
      id: parts.id,
      name: command.name,
      scopes: [command.scope],
      createdAt: this.clock.now(),
    };
    // 128 random bits of id: a collision is not a case to handle, but never overwrite one.
    if (
      !(await this.store.insertIfAbsent({
        ...token,
        validatorHash: hashValidator(parts.validator),
      }))
    ) {
      throw new Error('admin token id collision');
    }
    return { token, value: formatAdminToken(parts) };
  }
}
