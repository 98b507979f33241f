import type { OpenAPIObject } from '@nestjs/swagger';

const REF = '#/components/schemas/';

/**
 * Drops component schemas that no documented operation reaches (the DTOs of the HTML pages'
 * forms), following references between schemas. `keep` names schemas kept regardless.
 */
export function pruneUnusedSchemas(document: OpenAPIObject, keep: readonly string[]): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const reached = new Set<string>();
  const pending = [...keep, ...refsIn(document.paths)];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reached.has(name)) continue;
    reached.add(name);
    pending.push(...refsIn(schemas[name]));
  }
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' && inner.startsWith(REF)
      ? [inner.slice(REF.length)]
      : refsIn(inner),
  );
}
