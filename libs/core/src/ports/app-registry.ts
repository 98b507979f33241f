import type { RegisteredApp } from '../apps/registered-app';

/**
 * The registered apps as the login flow and the session API look them up. The service's
 * implementation (CachedAppRegistry) serves them from memory and follows changes made through
 * the admin API on any instance.
 */
export abstract class AppRegistry {
  abstract findByClientId(clientId: string): Promise<RegisteredApp | undefined>;
}
