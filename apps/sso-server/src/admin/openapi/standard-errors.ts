import { getSchemaPath } from '@nestjs/swagger';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger';
import { ErrorBody } from './error-body';
import { ADMIN_TOKEN, APP_CLIENT } from './security-schemes';

/** What each error status means in the documented APIs; every one carries an ErrorBody. */
export const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid input (`invalid_request`): a parameter, header or body field that is malformed, out of range, unknown, or an object or array where a string belongs. Nothing was changed.',
  401: 'Missing or bad credentials (`admin_token_required`, `invalid_token`, `invalid_client`, `invalid_session`).',
  403: 'The admin token lacks the scope this operation needs (`insufficient_scope`).',
  404: 'Nothing by that name or id (`not_found` or `<thing>_not_found`).',
  409: 'It exists already, or it is being changed by very many writers at once (`conflict`; retry). Nothing was changed.',
  412: 'If-Match names a version that is no longer current; the current ETag is in the answer.',
  413: 'The body is larger than the service accepts (`payload_too_large`).',
  428: 'If-Match is required for this change.',
  503: 'At capacity for password hashing (`temporarily_unavailable`); retry after `Retry-After` seconds.',
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * Adds the standard error answers to every operation, in this one place, so controllers only
 * declare their successes (and any error peculiar to them, such as the session API's 422):
 * 400 where there is input (path, query, body, If-Match), 401 where there are credentials, 403 for admin tokens, 404 where
 * the path names something, 409 for changes, 412/428 where If-Match is read, 413 for bodies,
 * 503 where a password may be hashed (app client authentication, a password in the body).
 * An answer a controller declared itself is kept; it only gets the ErrorBody schema if it had none.
 */
export function addStandardErrors(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries<PathItemObject>(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      for (const status of standardErrorsOf(document, path, method, operation)) {
        const declared = operation.responses[status] as { description?: string } | undefined;
        operation.responses[status] = {
          description: declared?.description ?? ERROR_DESCRIPTIONS[status],
          content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBody) } } },
        };
      }
    }
  }
}

/** The error statuses an operation can answer, by the rules above. */
export function standardErrorsOf(
  document: OpenAPIObject,
  path: string,
  method: string,
  operation: OperationObject,
): number[] {
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  const ifMatch = parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === 'if-match');
  const body = operation.requestBody as
    { content?: Record<string, { schema?: unknown }> } | undefined;
  const statuses = new Set<number>();
  // Other headers (If-None-Match) are compared, never refused.
  if (parameters.some((p) => p.in !== 'header') || body || ifMatch) statuses.add(400);
  if (schemes.length > 0) statuses.add(401);
  if (schemes.includes(ADMIN_TOKEN)) statuses.add(403);
  if (path.includes('{')) statuses.add(404);
  if (method !== 'get' && method !== 'head') statuses.add(409);
  if (ifMatch) statuses.add(412);
  if (ifMatch?.required) statuses.add(428);
  if (body) statuses.add(413);
  const jsonSchema = body?.content?.['application/json']?.schema;
  if (schemes.includes(APP_CLIENT) || hasPasswordField(document, jsonSchema)) statuses.add(503);
  return [...statuses].sort();
}

function hasPasswordField(document: OpenAPIObject, schema: unknown): boolean {
  const resolved = resolve(document, schema as SchemaObject | ReferenceObject | undefined);
  return Object.values(resolved?.properties ?? {}).some(
    (property) => resolve(document, property)?.format === 'password',
  );
}

function resolve(
  document: OpenAPIObject,
  schema: SchemaObject | ReferenceObject | undefined,
): SchemaObject | undefined {
  if (!schema || !('$ref' in schema)) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  return resolve(document, document.components?.schemas?.[name]);
}
