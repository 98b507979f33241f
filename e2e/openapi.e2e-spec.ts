import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';
import type { TestService } from './support/tessera-service';
import { startTestService } from './support/tessera-service';

interface RegisteredRoute {
  readonly method: string;
  /** In OpenAPI form: `/admin/v1/accounts/{realm}/{username}/disable`. */
  readonly path: string;
}

const ERROR_BODY = '#/components/schemas/ErrorBody';

/** Every route Express holds for the service, read from its router (Express 5 keeps it on `router`). */
function registeredRoutes(service: TestService): RegisteredRoute[] {
  const express = service.app.getHttpAdapter().getInstance() as {
    router: {
      stack: { route?: { path: string | string[]; methods: Record<string, boolean> } }[];
    };
  };
  return express.router.stack.flatMap(({ route }) => {
    if (!route) return [];
    const paths = Array.isArray(route.path) ? route.path : [route.path];
    return paths.flatMap((path) =>
      Object.keys(route.methods)
        .filter((method) => method !== '_all')
        .map((method) => ({ method, path: path.replace(/:(\w+)/g, '{$1}') })),
    );
  });
}

/** What an operation of the documented APIs lacks; empty when it is complete. */
function gapsOf(route: RegisteredRoute, operation: OperationObject | undefined): string[] {
  if (!operation) return ['no operation in the document'];
  const gaps: string[] = [];
  if (!operation.summary?.trim()) gaps.push('no summary');
  const responses = operation.responses as Record<
    string,
    { content?: Record<string, { schema?: unknown }> }
  >;
  const success = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
  const described = success.some(
    (status) => status === '204' || responses[status].content?.['application/json']?.schema,
  );
  if (!described) gaps.push('no 2xx answer with a schema (or 204)');

  const admin = route.path.startsWith('/admin/v1');
  const security = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  const wanted = admin ? ['adminToken'] : ['appClient', 'appSession'];
  for (const scheme of wanted) {
    if (!security.includes(scheme)) gaps.push(`no ${scheme} security requirement`);
  }
  const errors = [401];
  if (admin) errors.push(403);
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  if (parameters.some((p) => p.in !== 'header') || operation.requestBody) errors.push(400);
  if (parameters.some((p) => p.in === 'path')) errors.push(404);
  for (const status of errors) {
    const schema = responses[status]?.content?.['application/json']?.schema as
      { $ref?: string } | undefined;
    if (schema?.$ref !== ERROR_BODY) gaps.push(`no ${status} answer with ErrorBody`);
  }
  return gaps;
}

describe('OpenAPI document (real service)', () => {
  let service: TestService;
  let document: OpenAPIObject;
  let response: Response;

  beforeAll(async () => {
    service = await startTestService({ apps: [{ clientId: 'shop', secret: 'shop-secret' }] });
    response = await fetch(`${service.url}/openapi.json`);
    document = (await response.clone().json()) as OpenAPIObject;
  });

  afterAll(() => service.close());

  it('is served publicly, as cacheable JSON, the same document every time', async () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const again = await (await fetch(`${service.url}/openapi.json`)).json();
    expect(again).toEqual(document);
  });

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('describes the admin token, the app client and the app session as security schemes', () => {
    expect(document.components?.securitySchemes).toMatchObject({
      adminToken: { type: 'http', scheme: 'bearer' },
      appClient: { type: 'http', scheme: 'basic' },
      appSession: { type: 'apiKey', in: 'header', name: 'Tessera-Session' },
    });
    expect(document.components?.schemas?.ErrorBody).toMatchObject({
      required: expect.arrayContaining(['statusCode', 'error', 'message']),
    });
  });

  it('documents the two APIs only, not the HTML pages', () => {
    const paths = Object.keys(document.paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/admin/v1/accounts', '/api/v1/session', '/token']),
    );
    for (const path of paths) expect(path).toMatch(/^\/(admin\/v1|api\/v1|token)(\/|$)/);
  });

  it('has a complete operation for every route registered under /admin/v1 and /api/v1', () => {
    const routes = registeredRoutes(service).filter((route) =>
      /^\/(admin\/v1|api\/v1)\//.test(route.path),
    );
    expect(routes.length).toBeGreaterThan(5);
    const incomplete = routes.flatMap((route) => {
      const operation = (
        document.paths[route.path] as Record<string, OperationObject> | undefined
      )?.[route.method];
      return gapsOf(route, operation).map(
        (gap) => `${route.method.toUpperCase()} ${route.path}: ${gap}`,
      );
    });
    if (incomplete.length > 0) {
      process.stderr.write(`Incomplete OpenAPI operations:\n  ${incomplete.join('\n  ')}\n`);
    }
    expect(incomplete).toEqual([]);
  });

  it('adds the answers only some operations can give where they can', () => {
    const patch = document.paths['/api/v1/session'].patch!;
    expect(Object.keys(patch.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '409', '412', '413', '422', '503']),
    );
    expect(Object.keys(document.paths['/api/v1/session'].get!.responses).sort()).toEqual([
      '200',
      '304',
      '401',
      '503',
    ]);
    const token = document.paths['/token'].post!;
    expect(token.security).toEqual([{ appClient: [] }, {}]);
    expect(Object.keys(token.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '413', '503']),
    );
    const create = document.paths['/admin/v1/accounts'].post!;
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '413', '503']),
    );
    expect(create.responses).not.toHaveProperty('404');
    const list = document.paths['/admin/v1/accounts'].get!;
    expect(Object.keys(list.responses).sort()).toEqual(['200', '400', '401', '403']);
  });
});
