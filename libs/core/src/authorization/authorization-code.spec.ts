import type { AuthorizationCode } from './authorization-code';
import { excessPendingCodes, forgettableCodes } from './authorization-code';

const NOW = Date.UTC(2030, 0, 1);

function code(
  id: string,
  issuedAt: number,
  extra: Partial<AuthorizationCode> = {},
): AuthorizationCode {
  return {
    id,
    validatorHash: 'h',
    clientId: 'shop',
    redirectUri: 'https://shop.example.com/cb',
    codeChallenge: 'c'.repeat(43),
    issuedAt,
    expiresAt: issuedAt + 60_000,
    ...extra,
  };
}

describe('authorization code bookkeeping', () => {
  it('drops the oldest pending codes beyond the cap, never used or expired ones', () => {
    const codes = new Map(
      [
        code('old', NOW - 50_000),
        code('mid', NOW - 30_000),
        code('new', NOW - 10_000),
        code('used', NOW - 40_000, { redeemedAt: NOW - 39_000 }),
        code('expired', NOW - 120_000),
      ].map((c) => [c.id, c]),
    );
    expect(excessPendingCodes(codes, NOW, 2)).toEqual(['old']);
    expect(excessPendingCodes(codes, NOW, 0).sort()).toEqual(['mid', 'new', 'old']);
    expect(excessPendingCodes(codes, NOW, 5)).toEqual([]);
  });

  it('forgets codes only once expired and older than the replay memory', () => {
    const codes = new Map(
      [code('fresh', NOW - 1000), code('ancient', NOW - 11 * 60_000)].map((c) => [c.id, c]),
    );
    expect(forgettableCodes(codes, NOW)).toEqual(['ancient']);
  });
});
