export interface BasicCredentials {
  readonly clientId: string;
  readonly secret: string;
}

/**
 * Parses `Authorization: Basic ...`. As in OAuth 2.0 (RFC 6749 section 2.3.1) the id and the
 * secret are form-urlencoded before base64, so both are decoded after the split.
 */
export function parseBasicCredentials(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined; // malformed percent-encoding
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
