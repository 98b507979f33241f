import { expiredCookie, readCookie, serializeCookie } from './cookie';

describe('readCookie', () => {
  it('finds a cookie among others, trimming spaces', () => {
    expect(readCookie('a=1; tessera_app=tsa.x.y.z.v; b=2', 'tessera_app')).toBe('tsa.x.y.z.v');
    expect(readCookie('tessera_app=tok', 'tessera_app')).toBe('tok');
    expect(readCookie('a=1;tessera_app = tok ;b=2', 'tessera_app')).toBe('tok');
  });

  it('returns undefined when absent, and does not match on a prefix or suffix of the name', () => {
    expect(readCookie(undefined, 'sid')).toBeUndefined();
    expect(readCookie('', 'sid')).toBeUndefined();
    expect(readCookie('xsid=1; sidx=2', 'sid')).toBeUndefined();
    expect(readCookie('flag; other=1', 'flag')).toBeUndefined();
  });

  it('takes the first of duplicate cookies', () => {
    expect(readCookie('sid=first; sid=second', 'sid')).toBe('first');
  });

  it('keeps "=" inside a value, drops quotes and decodes %-escapes', () => {
    expect(readCookie('sid=a=b==', 'sid')).toBe('a=b==');
    expect(readCookie('sid="quoted"', 'sid')).toBe('quoted');
    expect(readCookie('sid=a%20b', 'sid')).toBe('a b');
    expect(readCookie('sid=100%', 'sid')).toBe('100%');
    expect(readCookie('sid=', 'sid')).toBe('');
  });
});

describe('serializeCookie', () => {
  it('writes a HttpOnly, Secure, SameSite=Lax cookie by default', () => {
    expect(serializeCookie('tok')).toBe('tessera_app=tok; Path=/; HttpOnly; Secure; SameSite=Lax');
  });

  it('honours the options', () => {
    expect(
      serializeCookie('a b', {
        name: 'sid',
        path: '/app',
        domain: 'shop.example.com',
        secure: false,
        sameSite: 'Strict',
        maxAgeSeconds: 60,
      }),
    ).toBe('sid=a%20b; Path=/app; Domain=shop.example.com; Max-Age=60; HttpOnly; SameSite=Strict');
  });

  it('expires a cookie with the same path and domain', () => {
    expect(expiredCookie({ name: 'sid', domain: 'example.com' })).toBe(
      'sid=; Path=/; Domain=example.com; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    );
  });
});
