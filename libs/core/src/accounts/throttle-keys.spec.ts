import { accountThrottleKey, addressThrottleKey } from './throttle-keys';

describe('throttle keys', () => {
  it('keys accounts by realm and the normalised name', () => {
    expect(accountThrottleKey('example', 'ada')).toBe('account:example:ada');
  });

  it('keys IPv4 addresses one by one, also when mapped into IPv6', () => {
    expect(addressThrottleKey('192.0.2.7')).toBe('address:192.0.2.7');
    expect(addressThrottleKey('::ffff:192.0.2.7')).toBe('address:192.0.2.7');
    expect(addressThrottleKey('::FFFF:192.0.2.7')).toBe('address:192.0.2.7');
  });

  it('keys IPv6 addresses by their /64, however they are written', () => {
    const key = 'address:2001:db8:0:1::/64';
    expect(addressThrottleKey('2001:db8:0:1::1')).toBe(key);
    expect(addressThrottleKey('2001:0DB8:0000:0001:ffff:ffff:ffff:ffff')).toBe(key);
    expect(addressThrottleKey('2001:db8:0:1:a:b:c:d')).toBe(key);
    expect(addressThrottleKey('2001:db8::1:0:0:0:1')).toBe(key);
    expect(addressThrottleKey('fe80::1%eth0')).toBe('address:fe80:0:0:0::/64');
    expect(addressThrottleKey('::1')).toBe('address:0:0:0:0::/64');
    expect(addressThrottleKey('1::2:3:4:5:1.2.3.4')).toBe('address:1:0:2:3::/64');
    expect(addressThrottleKey('2001:db8:0:2::1')).not.toBe(key);
  });

  it('keeps an unparsable address as given, cut short', () => {
    expect(addressThrottleKey('unix-socket')).toBe('address:unix-socket');
    expect(addressThrottleKey('x'.repeat(500))).toHaveLength('address:'.length + 64);
  });
});
