import { loadServiceSettings } from './service-settings';
import { ConfigurationError } from './validation-messages';

describe('loadServiceSettings', () => {
  it('applies the documented defaults', () => {
    const settings = loadServiceSettings({});
    expect(settings.port).toBe(8080);
    expect(settings.host).toBe('127.0.0.1');
    expect(settings.mongodb).toMatchObject({
      uri: undefined,
      dbName: 'tessera',
      writeClaims: 'auto',
    });
    expect(settings.session.timeouts).toEqual({
      idleTimeoutMs: 1_800_000,
      absoluteLifetimeMs: 43_200_000,
      touchIntervalMs: 5_000,
    });
    expect(settings.session.limits).toEqual({
      maxKeyLength: 256,
      maxValueBytes: 16_384,
      maxBytesPerApp: 131_072,
      maxKeysPerApp: 256,
      maxOperationsPerBatch: 256,
    });
    expect(settings.session.maxClockSkewMs).toBe(5_000);
    expect(settings.realmsFile).toBeUndefined();
  });

  it('reads every variable', () => {
    const settings = loadServiceSettings({
      PORT: '9000',
      TESSERA_IDLE_TIMEOUT_SECONDS: '60',
      TESSERA_TOUCH_INTERVAL_SECONDS: '1',
      TESSERA_MAX_VALUE_BYTES: '100',
      TESSERA_WRITE_CLAIMS: 'on',
    });
    expect(settings.port).toBe(9000);
    expect(settings.session.timeouts.idleTimeoutMs).toBe(60_000);
    expect(settings.session.limits.maxValueBytes).toBe(100);
    expect(settings.mongodb.writeClaims).toBe('on');
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadServiceSettings({
        PORT: 'eighty',
        TESSERA_IDLE_TIMEOUT_SECONDS: '0',
        TESSERA_IDEL_TIMEOUT: '5',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const { problems } = error as ConfigurationError;
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/TESSERA_IDLE_TIMEOUT_SECONDS/);
    expect(problems.join('\n')).toMatch(/TESSERA_IDEL_TIMEOUT/);
  });

  it('refuses settings that contradict each other', () => {
    expect(() =>
      loadServiceSettings({
        TESSERA_IDLE_TIMEOUT_SECONDS: '5',
        TESSERA_TOUCH_INTERVAL_SECONDS: '5',
      }),
    ).toThrow(/TESSERA_TOUCH_INTERVAL_SECONDS must be shorter/);
    expect(() => loadServiceSettings({ TESSERA_MAX_VALUE_BYTES: '200000' })).toThrow(
      /TESSERA_MAX_VALUE_BYTES/,
    );
  });

  it('reads which proxies may state the client address', () => {
    expect(loadServiceSettings({}).trustProxy).toBeUndefined();
    expect(loadServiceSettings({ TESSERA_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadServiceSettings({ TESSERA_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe(
      'loopback, 10.0.0.0/8',
    );
    expect(() => loadServiceSettings({ TESSERA_TRUST_PROXY: 'x;rm -rf' })).toThrow(
      /TESSERA_TRUST_PROXY/,
    );
  });

  it('refuses to run the demo realm in production', () => {
    expect(() => loadServiceSettings({ NODE_ENV: 'production' })).toThrow(
      /TESSERA_CONFIG is required in production/,
    );
  });
});
