import { SetMetadata } from '@nestjs/common';

/**
 * Every route declares who may call it; the global AccessGuard refuses routes that declare
 * nothing, so a forgotten decorator fails closed.
 */
export const ACCESS_METADATA = 'tessera:access';

export type Access = 'public' | 'app';

/** Anyone may call it (health, later the login pages). */
export const Public = () => SetMetadata(ACCESS_METADATA, 'public' satisfies Access);

/** A registered app authenticated with HTTP Basic client id and secret. */
export const AppClient = () => SetMetadata(ACCESS_METADATA, 'app' satisfies Access);
