import type { RegisteredApp } from '../apps/registered-app';

/** Where registered apps come from (configuration today, the admin API later). */
export abstract class AppRegistry {
  abstract findByClientId(clientId: string): Promise<RegisteredApp | undefined>;
}
