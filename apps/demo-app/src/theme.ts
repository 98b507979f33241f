import type { RequestSession } from '@tessera/sdk';

/** The private attribute `pref-theme`: each app keeps its own (the realm policy makes `pref*` private). */
export const THEME_ATTRIBUTE = 'pref-theme';
export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

export function themeOf(session: RequestSession | undefined): Theme {
  const value = session?.get(THEME_ATTRIBUTE);
  return isTheme(value) ? value : 'light';
}
