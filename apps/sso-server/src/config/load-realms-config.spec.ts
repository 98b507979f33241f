import { loadRealmsConfig, parseRealmsConfig, sessionPoliciesOf } from './load-realms-config';
import { ConfigurationError } from './validation-messages';

const HASH = '$argon2id$v=19$m=65536,p=4,t=3$c2FsdHNhbHQ$aGFzaGhhc2g';

function problemsOf(plain: unknown): string[] {
  try {
    parseRealmsConfig(plain, 'test');
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('realms configuration', () => {
  it('loads the bundled demo realm', () => {
    const config = loadRealmsConfig();
    expect(config.realms[0].name).toBe('example');
    expect(config.realms[0].apps.map((a) => a.clientId)).toEqual(['shop', 'portal']);
  });

  it('fills in defaults for the optional parts', () => {
    const config = parseRealmsConfig(
      {
        realms: [{ name: 'r', rootDomain: 'r.test', apps: [{ clientId: 'a', secretHash: HASH }] }],
      },
      'test',
    );
    expect(config.realms[0].apps[0].enabled).toBe(true);
    expect(config.realms[0].apps[0].attributePolicy).toEqual({
      defaultScope: 'shared',
      sharedKeys: [],
      privateKeys: [],
    });
  });

  it("reads a realm's session policy, and no limit where there is none", () => {
    const config = parseRealmsConfig(
      {
        realms: [
          {
            name: 'r',
            rootDomain: 'r.test',
            apps: [],
            sessionPolicy: { maxSessions: 3, strategy: 'invalidate-before' },
          },
          { name: 'free', rootDomain: 'free.test', apps: [] },
        ],
      },
      'test',
    );
    const policies = sessionPoliciesOf(config);
    expect(policies('r')).toEqual({ maxSessions: 3, strategy: 'invalidate-before' });
    expect(policies('free')).toBeUndefined();
  });

  it('refuses a bad session policy, naming the field', () => {
    const problems = problemsOf({
      realms: [
        {
          name: 'r',
          rootDomain: 'r.test',
          apps: [],
          sessionPolicy: { maxSessions: 0, strategy: 'kick-everyone', extra: 1 },
        },
      ],
    });
    const text = problems.join('\n');
    expect(text).toMatch(/realms\.0\.sessionPolicy\.maxSessions/);
    expect(text).toMatch(/realms\.0\.sessionPolicy\.strategy.*invalidate-after/);
    expect(text).toMatch(/realms\.0\.sessionPolicy\.extra/);
  });

  it('names each mistake with its path', () => {
    const problems = problemsOf({
      realms: [
        {
          name: 'Bad Name',
          rootDomain: 'not a domain',
          apps: [
            { clientId: 'a.b', secretHash: 'plain-secret' },
            {
              clientId: 'ok',
              secretHash: HASH,
              attributePolicy: { defaultScope: 'public' },
              colour: 'red',
            },
          ],
        },
      ],
    });
    const text = problems.join('\n');
    expect(text).toMatch(/realms\.0\.name/);
    expect(text).toMatch(/realms\.0\.rootDomain/);
    expect(text).toMatch(/realms\.0\.apps\.0\.clientId/);
    expect(text).toMatch(/realms\.0\.apps\.0\.secretHash.*hash-secret/);
    expect(text).toMatch(/realms\.0\.apps\.1\.attributePolicy\.defaultScope/);
    expect(text).toMatch(/colour/);
  });

  it('refuses duplicate client ids, duplicate realms and contradictory policies', () => {
    const app = (clientId: string, policy = {}) => ({
      clientId,
      secretHash: HASH,
      attributePolicy: policy,
    });
    const text = problemsOf({
      realms: [
        {
          name: 'one',
          rootDomain: 'one.test',
          apps: [app('a'), app('b', { sharedKeys: ['x'], privateKeys: ['x'] })],
        },
        { name: 'one', rootDomain: 'two.test', apps: [app('a')] },
      ],
    }).join('\n');
    expect(text).toMatch(/realm "one" is defined twice/);
    expect(text).toMatch(/"a" is used twice/);
    expect(text).toMatch(/"x" is listed as both shared and private/);
  });

  it('refuses app URIs that are relative, off the root domain, wildcards or not canonical', () => {
    const text = problemsOf({
      realms: [
        {
          name: 'r',
          rootDomain: 'r.test',
          apps: [
            {
              clientId: 'a',
              secretHash: HASH,
              redirectUris: [
                '/cb',
                'http://*.r.test/cb',
                'HTTP://A.r.test/cb',
                'http://evil.test/',
              ],
              backchannelLogoutUri: 'javascript:alert(1)',
            },
          ],
        },
      ],
    }).join('\n');
    expect(text).toMatch(/apps\.0\.redirectUris: "\/cb" is not an absolute URL/);
    expect(text).toMatch(/apps\.0\.redirectUris: "http:\/\/\*\.r\.test\/cb" must not contain \*/);
    expect(text).toMatch(/apps\.0\.redirectUris: .*canonical form/);
    expect(text).toMatch(/apps\.0\.redirectUris: .*not on the realm's root domain/);
    expect(text).toMatch(/apps\.0\.backchannelLogoutUri: .*must use https/);
  });

  it('explains a file that cannot be read or parsed', () => {
    expect(() => loadRealmsConfig('/nonexistent/realms.json')).toThrow(/cannot read the file/);
    expect(() => parseRealmsConfig([], 'test')).toThrow(/top level must be an object/);
  });
});
