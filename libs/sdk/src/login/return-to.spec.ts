import { safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it.each([
    ['/', '/'],
    ['/cart', '/cart'],
    ['/cart?item=book&n=2', '/cart?item=book&n=2'],
    ['/a/b/../c', '/a/c'],
    ['/search?q=a%2Fb', '/search?q=a%2Fb'],
    ['/page#section', '/page'],
    ['/@evil.example', '/@evil.example'],
  ])('keeps the same-origin path %j as %j', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    '//evil.example',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    'https://evil.example',
    'http:evil.example',
    'HTTPS://evil.example',
    '/%2F%2Fevil.example',
    '/%2f/evil.example',
    '/%5Cevil.example',
    '/%252F%252Fevil.example',
    '/..//evil.example',
    '/.//evil.example',
    '/a/../..//evil.example',
    '/\r\nSet-Cookie: x=1',
    '/%0d%0aSet-Cookie: x=1',
    '/\tevil',
    '/\u0000',
    'javascript:alert(1)',
    ' javascript:alert(1)',
    '/ /evil.example'.replace(' ', '\n'),
    'evil.example',
    '',
    '?next=/',
    '/%E0%A4%A',
    `/${'a'.repeat(2000)}`,
  ])('refuses %j, falling back to "/"', (attack) => {
    expect(safeReturnTo(attack)).toBe('/');
  });

  it('refuses what is not a string', () => {
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo(['/a', '/b'])).toBe('/');
    expect(safeReturnTo({ toString: () => '/a' })).toBe('/');
  });
});
