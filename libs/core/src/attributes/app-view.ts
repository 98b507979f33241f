import type { SessionAttributes } from './attribute-entry';
import { isTombstone } from './attribute-entry';
import type { AttributePolicy } from './attribute-policy';

/** What one app sees: JSON texts of the shared attributes and of its own private ones. */
export interface AppAttributeView {
  readonly shared: ReadonlyMap<string, string>;
  readonly private: ReadonlyMap<string, string>;
}

/**
 * An app sees each key through the scope its own policy gives that key: a key it treats as
 * private comes from its private namespace only, never from another app's, and a key it
 * treats as shared comes from the shared namespace. The two maps therefore never overlap.
 */
export function appViewOf(
  attributes: SessionAttributes,
  clientId: string,
  policy: AttributePolicy,
): AppAttributeView {
  const shared = new Map<string, string>();
  for (const [key, entry] of attributes.shared) {
    if (!isTombstone(entry) && policy.scopeOf(key) === 'shared') shared.set(key, entry.value!);
  }
  const own = new Map<string, string>();
  for (const [key, entry] of attributes.private.get(clientId) ?? []) {
    if (!isTombstone(entry) && policy.scopeOf(key) === 'private') own.set(key, entry.value!);
  }
  return { shared, private: own };
}

/**
 * Version of an app's view: it changes whenever anything the app can see may have changed
 * (shared namespace, its private namespace, the principal's profile, or its policy), and
 * not when another app's private attributes change.
 */
export function viewVersionOf(
  attributes: SessionAttributes,
  clientId: string,
  policy: AttributePolicy,
  profileRev: number,
): string {
  const own = attributes.privateRevs.get(clientId) ?? 0;
  return (
    [attributes.sharedRev, own, profileRev].map((n) => n.toString(36)).join('.') +
    '.' +
    policy.fingerprint
  );
}
