import type {
  AppSession,
  AttributeEntry,
  AuthorizationCode,
  PrincipalRecord,
  PrincipalWithSessions,
  SessionAttributes,
  SsoSession,
} from '@tessera/core';
import { decodeAttributeKey, encodeAttributeKey } from '@tessera/core';
import type {
  PrincipalDocument,
  StoredAttributeEntry,
  StoredAuthorizationCode,
  StoredNamespace,
  StoredSession,
} from './principal.document';

/** Converts between stored documents and domain types; the only place that knows both. */
export function toPrincipalRecord(doc: PrincipalDocument): PrincipalRecord {
  return {
    id: doc._id,
    realm: doc.realm,
    subject: doc.subject,
    profile: decodeNames(doc.profile ?? {}),
    profileRev: doc.profileRev ?? 0,
    rev: doc.rev,
  };
}

export function toPrincipalWithSessions(doc: PrincipalDocument): PrincipalWithSessions {
  const sessions = new Map<string, SsoSession>();
  for (const [sid, stored] of Object.entries(doc.sessions ?? {}))
    sessions.set(sid, toSsoSession(stored));
  return { principal: toPrincipalRecord(doc), sessions };
}

export function toSsoSession(stored: StoredSession): SsoSession {
  const appSessions = new Map<string, AppSession>();
  for (const [handleId, app] of Object.entries(stored.apps ?? {})) {
    appSessions.set(handleId, {
      handleId,
      clientId: app.clientId,
      validatorHash: app.validatorHash,
      createdAt: app.createdAt.getTime(),
    });
  }
  const codes = new Map<string, AuthorizationCode>();
  for (const [id, code] of Object.entries(stored.codes ?? {}))
    codes.set(id, toAuthorizationCode(id, code));
  return {
    id: stored.sid,
    validatorHash: stored.validatorHash,
    createdAt: stored.createdAt.getTime(),
    lastAccessAt: stored.lastAccessAt.getTime(),
    endedAt: stored.endedAt?.getTime(),
    endCause: stored.endCause,
    client: stored.client ?? {},
    appSessions,
    codes,
    attributes: toAttributes(stored),
  };
}

function toAuthorizationCode(id: string, stored: StoredAuthorizationCode): AuthorizationCode {
  return {
    id,
    validatorHash: stored.validatorHash,
    clientId: stored.clientId,
    redirectUri: stored.redirectUri,
    codeChallenge: stored.codeChallenge,
    issuedAt: stored.issuedAt.getTime(),
    expiresAt: stored.expiresAt.getTime(),
    redeemedAt: stored.redeemedAt?.getTime(),
    appSessionHandle: stored.appSessionHandle,
  };
}

export function toStoredAuthorizationCode(code: AuthorizationCode): StoredAuthorizationCode {
  return {
    validatorHash: code.validatorHash,
    clientId: code.clientId,
    redirectUri: code.redirectUri,
    codeChallenge: code.codeChallenge,
    issuedAt: new Date(code.issuedAt),
    expiresAt: new Date(code.expiresAt),
  };
}

function toAttributes(stored: StoredSession): SessionAttributes {
  const privateNamespaces = new Map<string, Map<string, AttributeEntry>>();
  for (const [clientId, namespace] of Object.entries(stored.private ?? {})) {
    privateNamespaces.set(clientId, toNamespace(namespace));
  }
  return {
    shared: toNamespace(stored.shared ?? {}),
    private: privateNamespaces,
    sharedRev: stored.sharedRev ?? 0,
    privateRevs: new Map(Object.entries(stored.privateRevs ?? {})),
  };
}

function toNamespace(namespace: StoredNamespace): Map<string, AttributeEntry> {
  const entries = new Map<string, AttributeEntry>();
  for (const [field, entry] of Object.entries(namespace)) {
    entries.set(decodeAttributeKey(field), toEntry(entry));
  }
  return entries;
}

function toEntry(stored: StoredAttributeEntry): AttributeEntry {
  return { value: stored.v, time: stored.t, writer: stored.w };
}

export function toStoredEntry(entry: AttributeEntry): StoredAttributeEntry {
  return entry.value === undefined
    ? { t: entry.time, w: entry.writer }
    : { v: entry.value, t: entry.time, w: entry.writer };
}

export function toStoredSession(session: SsoSession): StoredSession {
  const apps: StoredSession['apps'] = {};
  for (const [handleId, app] of session.appSessions) apps[handleId] = toStoredAppSession(app);
  const codes: NonNullable<StoredSession['codes']> = {};
  for (const [id, code] of session.codes) codes[id] = toStoredAuthorizationCode(code);
  const shared: StoredNamespace = {};
  for (const [key, entry] of session.attributes.shared) {
    shared[encodeAttributeKey(key)] = toStoredEntry(entry);
  }
  const privateNamespaces: StoredSession['private'] = {};
  for (const [clientId, namespace] of session.attributes.private) {
    const stored: StoredNamespace = {};
    for (const [key, entry] of namespace) stored[encodeAttributeKey(key)] = toStoredEntry(entry);
    privateNamespaces[clientId] = stored;
  }
  return {
    sid: session.id,
    validatorHash: session.validatorHash,
    createdAt: new Date(session.createdAt),
    lastAccessAt: new Date(session.lastAccessAt),
    ...(session.endedAt === undefined ? {} : { endedAt: new Date(session.endedAt) }),
    ...(session.endCause === undefined ? {} : { endCause: session.endCause }),
    client: { ...session.client },
    apps,
    codes,
    shared,
    private: privateNamespaces,
    sharedRev: session.attributes.sharedRev,
    privateRevs: Object.fromEntries(session.attributes.privateRevs),
  };
}

export function toStoredAppSession(app: AppSession) {
  return {
    clientId: app.clientId,
    validatorHash: app.validatorHash,
    createdAt: new Date(app.createdAt),
  };
}

/** Profile claim names may contain `.` (URL-shaped claims), so they are encoded like attribute keys. */
export function encodeNames(values: Readonly<Record<string, string>>): Record<string, string> {
  const encoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) encoded[encodeAttributeKey(name)] = value;
  return encoded;
}

// Object.fromEntries defines own properties, so a claim named `__proto__` stays plain data.
function decodeNames(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([field, value]) => [decodeAttributeKey(field), value]),
  );
}
