import type { RegisteredApp } from '@tessera/core';
import { AttributePolicy } from '@tessera/core';
import { parseRealmsConfig } from './load-realms-config';
import { appsOutOfRules } from './stored-app-check';

const realms = parseRealmsConfig(
  { realms: [{ name: 'example', rootDomain: 'example.test', apps: [] }] },
  'test',
);

function app(clientId: string, overrides: Partial<RegisteredApp> = {}): RegisteredApp {
  return {
    clientId,
    realm: 'example',
    secretHash: 'h',
    enabled: true,
    policy: new AttributePolicy({ defaultScope: 'shared', sharedKeys: [], privateKeys: [] }),
    redirectUris: [`https://${clientId}.example.test/callback`],
    postLogoutRedirectUris: [],
    ...overrides,
  };
}

describe('stored apps against the rules of today', () => {
  it('finds enabled apps whose URIs left the root domain or use http in production', () => {
    const apps = [
      app('fine'),
      app('moved', { redirectUris: ['https://moved.old-domain.test/callback'] }),
      app('plain', { backchannelLogoutUri: 'http://plain.example.test/bc' }),
      app('off', { enabled: false, redirectUris: ['https://off.old-domain.test/cb'] }),
      app('gone-realm', { realm: 'removed', redirectUris: ['https://x.other.test/cb'] }),
    ];
    const inProduction = appsOutOfRules(apps, realms, true);
    expect(inProduction.map((a) => a.clientId)).toEqual(['moved', 'plain']);
    expect(inProduction[0].problems[0]).toMatch(/^redirectUris: /);
    expect(inProduction[1].problems[0]).toMatch(/^backchannelLogoutUri: /);
    expect(appsOutOfRules(apps, realms, false).map((a) => a.clientId)).toEqual(['moved']);
  });
});
