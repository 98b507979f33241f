import { SetMetadata } from '@nestjs/common';

/**
 * Every route declares who may call it; the global AccessGuard refuses routes that declare
 * nothing, so a forgotten decorator fails closed.
 */
export const ACCESS_METADATA = 'tessera:access';

export type Access = 'public' | 'app' | 'admin-read' | 'admin-full';

/** Anyone may call it (health, later the login pages). */
export const Public = () => SetMetadata(ACCESS_METADATA, 'public' satisfies Access);

/** A registered app authenticated with HTTP Basic client id and secret. */
export const AppClient = () => SetMetadata(ACCESS_METADATA, 'app' satisfies Access);

/** An admin API token (Bearer) with the `read` or the `full` scope: looking, never changing. */
export const AdminRead = () => SetMetadata(ACCESS_METADATA, 'admin-read' satisfies Access);

/** An admin API token (Bearer) with the `full` scope: anything that changes state. */
export const AdminFull = () => SetMetadata(ACCESS_METADATA, 'admin-full' satisfies Access);
