/**
 * Where to send the browser after login: a path on this app, never another site. The value
 * travels through the service and back in a signed cookie, but it starts as a URL the browser
 * asked for (or a `return_to` parameter anyone can craft), so it is checked as hostile input.
 */
export const DEFAULT_RETURN_TO = '/';

/** Longer values are refused: the path travels in a cookie, and real pages are far shorter. */
const MAX_RETURN_TO_LENGTH = 1024;
// C0 controls and DEL (CR/LF would split headers; tabs and newlines are dropped by URL parsers).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;
const PLACEHOLDER_ORIGIN = 'http://return-to.invalid';

/** `value` if it is a same-origin path (with its query), in normalised form; else `/`. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !isPlainPath(value)) return DEFAULT_RETURN_TO;
  // Percent-decoding must not reveal another host either: some servers decode and redirect again.
  if (!isPlainPath(decodedForm(value) ?? '//')) return DEFAULT_RETURN_TO;

  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return DEFAULT_RETURN_TO;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return DEFAULT_RETURN_TO;
  // Dot segments are resolved now (`/..//evil` becomes `//evil`), so check the result once more.
  const normalised = url.pathname + url.search;
  return isPlainPath(normalised) ? normalised : DEFAULT_RETURN_TO;
}

/** Starts with exactly one `/`, has no backslash (browsers read it as `/`) and no control character. */
function isPlainPath(value: string): boolean {
  return (
    value.length <= MAX_RETURN_TO_LENGTH &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.includes('\\') &&
    !CONTROL.test(value)
  );
}

/** The value with its %-escapes decoded (repeatedly, for double encoding); undefined if malformed. */
function decodedForm(value: string): string | undefined {
  let current = value;
  for (let round = 0; round < 3 && current.includes('%'); round += 1) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return undefined;
    }
  }
  return current;
}
