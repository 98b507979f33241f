import { profileIncomplete, profileOf, subjectOf, upstreamIdentity } from './upstream-identity';

describe('upstream identity', () => {
  it('prefixes the subject with the provider id', () => {
    expect(upstreamIdentity('google', '1234', { sub: '1234', name: 'Ada' })).toEqual({
      subject: 'google:1234',
      profile: { name: 'Ada' },
    });
  });

  it('accepts only a non-empty printable ASCII sub of at most 255 characters', () => {
    expect(subjectOf({ sub: 'a'.repeat(255) })).toBe('a'.repeat(255));
    for (const sub of ['', 'a'.repeat(256), 'with space', 'ünïcode', 'line\nbreak', 42, null]) {
      expect(subjectOf({ sub })).toBeUndefined();
    }
    expect(subjectOf({})).toBeUndefined();
  });

  it('copies only string name and email, the ID token before UserInfo', () => {
    expect(profileOf({ name: 'From token' }, { name: 'From userinfo', email: 'a@b.test' })).toEqual(
      { name: 'From token', email: 'a@b.test' },
    );
    expect(profileOf({ name: ['Ada'], email: { value: 'a@b.test' }, picture: 'x' })).toEqual({});
  });

  it('caps the name and drops an email that cannot be one', () => {
    expect(profileOf({ name: `  ${'n'.repeat(300)}\u0000 ` }).name).toBe('n'.repeat(256));
    expect(profileOf({ name: ' \u0007 ' })).toEqual({});
    expect(profileOf({ email: `${'e'.repeat(250)}@b.test` })).toEqual({});
    expect(profileOf({ email: 'not an email' })).toEqual({});
  });

  it('leaves out an email the provider says is not verified', () => {
    expect(profileOf({ email: 'a@b.test', email_verified: false })).toEqual({});
    expect(profileOf({ email: 'a@b.test', email_verified: true })).toEqual({ email: 'a@b.test' });
    // Providers that never send email_verified (Entra ID) still get their email copied.
    expect(profileOf({ email: 'a@b.test' })).toEqual({ email: 'a@b.test' });
  });

  it('asks for UserInfo only while name or email is missing', () => {
    expect(profileIncomplete({ sub: 'x' })).toBe(true);
    expect(profileIncomplete({ sub: 'x', name: 'Ada', email: 'a@b.test' })).toBe(false);
  });
});
