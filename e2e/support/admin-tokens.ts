import type { AdminScope } from '@tessera/core';
import { CreateAdminToken } from '@tessera/core';
import type { TestService } from './tessera-service';

/** A fresh admin API token of the service, made by its own use case; the Bearer value. */
export async function issueAdminToken(svc: TestService, scope: AdminScope): Promise<string> {
  const created = await svc.app.get(CreateAdminToken).execute({ name: `e2e ${scope}`, scope });
  return created.value;
}

/** Headers that authenticate an admin API request with `token`. */
export function adminHeaders(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
