import { DemoConfigError, readDemoConfig } from './demo-config';

const env = {
  DEMO_APP_NAME: 'shop',
  DEMO_PORT: '3001',
  DEMO_PUBLIC_URL: 'http://shop.example.test:3001',
  TESSERA_URL: 'http://sso.example.test:8080',
  DEMO_CLIENT_SECRET: 'shop-demo-secret',
  DEMO_COOKIE_SECRET: 'c'.repeat(32),
};

describe('readDemoConfig', () => {
  it('reads the environment; the internal URL defaults to the public one', () => {
    const { config, warnings } = readDemoConfig({
      ...env,
      DEMO_PEERS: 'portal=http://portal.example.test:3002, admin=https://admin.example.test',
    });
    expect(config).toMatchObject({ name: 'shop', clientId: 'shop', port: 3001, host: '127.0.0.1' });
    expect(config.tesseraInternalUrl.href).toBe('http://sso.example.test:8080/');
    expect(config.peers).toEqual([
      { name: 'portal', url: 'http://portal.example.test:3002/' },
      { name: 'admin', url: 'https://admin.example.test/' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('fills in a preset, which the environment overrides, and makes up a cookie secret', () => {
    const { config, warnings } = readDemoConfig({ DEMO_PORT: '4002' }, 'portal');
    expect(config).toMatchObject({
      name: 'portal',
      port: 4002,
      clientSecret: 'portal-demo-secret',
    });
    expect(config.publicUrl.href).toBe('http://portal.example.test:3002/');
    expect(Buffer.byteLength(config.cookieSecret)).toBeGreaterThanOrEqual(32);
    expect(warnings).toHaveLength(1);
  });

  it('reports every problem at once, naming the variable', () => {
    let error: unknown;
    try {
      readDemoConfig({
        DEMO_APP_NAME: 'Shop!',
        DEMO_PUBLIC_URL: 'http://shop.example.test:3001/app',
        TESSERA_URL: 'sso',
        DEMO_COOKIE_SECRET: 'short',
        DEMO_PEERS: 'nourl',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DemoConfigError);
    const problems = (error as DemoConfigError).problems.join('\n');
    for (const variable of [
      'DEMO_APP_NAME',
      'DEMO_PUBLIC_URL',
      'TESSERA_URL',
      'DEMO_CLIENT_SECRET',
      'DEMO_COOKIE_SECRET',
      'DEMO_PEERS',
    ]) {
      expect(problems).toContain(variable);
    }
    expect(() => readDemoConfig({}, 'admin')).toThrow(/unknown demo app "admin"/);
  });
});
