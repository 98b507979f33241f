import { createHash } from 'node:crypto';
import type { Scope } from './attribute-entry';

export interface AttributePolicySpec {
  defaultScope: Scope;
  /** Keys that are shared whatever the default; a trailing `*` matches a prefix (`cart*`). */
  sharedKeys: readonly string[];
  /** Keys private to the app whatever the default; a trailing `*` matches a prefix. */
  privateKeys: readonly string[];
}

export const DEFAULT_POLICY_SPEC: AttributePolicySpec = {
  defaultScope: 'shared',
  sharedKeys: [],
  privateKeys: [],
};

class KeyPatterns {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  constructor(patterns: readonly string[]) {
    for (const pattern of patterns) {
      if (pattern.endsWith('*')) this.prefixes.push(pattern.slice(0, -1));
      else this.exact.add(pattern);
    }
  }

  /** How specifically the patterns name `key`: -1 for no match, an exact name above any prefix. */
  specificity(key: string): number {
    if (this.exact.has(key)) return Number.MAX_SAFE_INTEGER;
    let best = -1;
    for (const prefix of this.prefixes) {
      if (prefix.length > best && key.startsWith(prefix)) best = prefix.length;
    }
    return best;
  }
}

/**
 * Decides, per app, whether a key lives in the shared namespace or in the app's private one.
 * The most specific matching pattern decides (an exact name, else the longest prefix);
 * a key no pattern names takes the default scope.
 */
export class AttributePolicy {
  private readonly shared: KeyPatterns;
  private readonly private: KeyPatterns;
  /** Short digest of the policy; part of the view version, so a policy change invalidates caches. */
  readonly fingerprint: string;

  constructor(readonly spec: AttributePolicySpec) {
    this.shared = new KeyPatterns(spec.sharedKeys);
    this.private = new KeyPatterns(spec.privateKeys);
    this.fingerprint = createHash('sha256')
      .update(JSON.stringify([spec.defaultScope, spec.sharedKeys, spec.privateKeys]))
      .digest('base64url')
      .slice(0, 8);
  }

  scopeOf(key: string): Scope {
    const shared = this.shared.specificity(key);
    const own = this.private.specificity(key);
    // Equal specificity only happens for a pattern listed twice, which validation refuses.
    if (shared === own) return this.spec.defaultScope;
    return shared > own ? 'shared' : 'private';
  }
}

/** Problems with a policy spec, for configuration validation; empty when it is sound. */
export function policySpecProblems(spec: AttributePolicySpec): string[] {
  const problems: string[] = [];
  const privateSet = new Set(spec.privateKeys);
  for (const key of spec.sharedKeys) {
    if (privateSet.has(key))
      problems.push(`key pattern "${key}" is listed as both shared and private`);
  }
  for (const key of [...spec.sharedKeys, ...spec.privateKeys]) {
    if (key.length === 0 || key === '*')
      problems.push(`key pattern "${key}" is empty or matches everything; use defaultScope`);
  }
  return problems;
}
