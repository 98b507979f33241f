import { ServiceUnavailableError } from './errors';

/**
 * A JSON value as read from a session. Read-only because the SDK shares one cached copy of a
 * session between requests: values are deep-frozen at runtime, and the type says so too.
 */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type AttributeMap = Readonly<Record<string, JsonValue>>;

export interface Principal {
  readonly subject: string;
  readonly realm: string;
  readonly profile: Readonly<Record<string, string>>;
}

/**
 * Times are kept as the ISO 8601 strings the service sent: the view is cached and shared between
 * requests, and a string, unlike a `Date`, cannot be mutated by one of them. `new Date(iso)` when needed.
 */
export interface SessionInfo {
  readonly id: string;
  readonly createdAt: string;
  readonly lastAccessAt: string;
  readonly idleExpiresAt: string;
  readonly absoluteExpiresAt: string;
  /** The earlier of the two expiries. */
  readonly expiresAt: string;
}

/** The merged session one app sees: `GET /api/v1/session`. */
export interface SessionView {
  readonly principal: Principal;
  readonly session: SessionInfo;
  /** Opaque; the ETag is this value in double quotes. */
  readonly version: string;
  /** Disjoint key sets: the service decides each key's scope by the app's policy. */
  readonly attributes: { readonly shared: AttributeMap; readonly private: AttributeMap };
}

/** Reads key `k` as the service defines it: the private value if present, else the shared one. */
export function readAttribute(view: SessionView, key: string): JsonValue | undefined {
  const { private: own, shared } = view.attributes;
  if (Object.hasOwn(own, key)) return own[key];
  return Object.hasOwn(shared, key) ? shared[key] : undefined;
}

/** Checks the shape of a response body and freezes it, so a cached copy can be shared safely. */
export function parseSessionView(body: unknown): SessionView {
  if (
    !isObject(body) ||
    typeof body.version !== 'string' ||
    !isObject(body.principal) ||
    typeof body.principal.subject !== 'string' ||
    typeof body.principal.realm !== 'string' ||
    !isObject(body.session) ||
    typeof body.session.id !== 'string' ||
    typeof body.session.expiresAt !== 'string' ||
    !isObject(body.attributes) ||
    !isObject(body.attributes.shared) ||
    !isObject(body.attributes.private)
  ) {
    throw new ServiceUnavailableError(
      'the session service answered with a body that is not a session view',
      200,
      'invalid_response',
    );
  }
  if (!isObject(body.principal.profile)) body.principal.profile = {};
  return deepFreeze(body) as unknown as SessionView;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
