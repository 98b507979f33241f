/** Strong entity tags carry the session view version verbatim. */
export function etagOf(version: string): string {
  return `"${version}"`;
}

/**
 * The versions named by an If-None-Match or If-Match header: undefined when the header is
 * absent, 'any' for `*`. Weak tags (`W/"..."`) are compared by their opaque part.
 */
export function versionsIn(header: string | undefined): string[] | 'any' | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return 'any';
  const versions: string[] = [];
  for (const match of header.matchAll(/(?:W\/)?"([^"]*)"/g)) versions.push(match[1]);
  return versions;
}

export function headerMatches(header: string | undefined, version: string): boolean {
  const versions = versionsIn(header);
  return versions === 'any' || (versions?.includes(version) ?? false);
}
