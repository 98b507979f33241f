import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ErrorBody } from './error-body';
import { addSecuritySchemes } from './security-schemes';
import { addStandardErrors } from './standard-errors';
import { pruneUnusedSchemas } from './unused-schemas';

/** The documented APIs: the admin API, the session API and the token endpoint apps call. */
export const DOCUMENTED_PATHS = ['/admin/v1', '/api/v1', '/token'];

const DESCRIPTION =
  'The admin API (`/admin/v1`, an admin token) and the session API apps call (`/api/v1`, app ' +
  'client credentials and an app session token). Every error is JSON `ErrorBody`. Guides: ' +
  'docs/admin-api.md and docs/session-api.md in the repository.';

/**
 * Builds the OpenAPI document from the controllers' decorators, keeps the documented APIs only
 * (the HTML pages are not an API), and adds the standard errors in one place.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = addSecuritySchemes(
    new DocumentBuilder().setTitle('Tessera').setDescription(DESCRIPTION).setVersion('1'),
  ).build();
  const scanned = SwaggerModule.createDocument(app, config, { extraModels: [ErrorBody] });
  const paths = Object.fromEntries(
    Object.entries(scanned.paths).filter(([path]) =>
      DOCUMENTED_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)),
    ),
  );
  const document: OpenAPIObject = { ...scanned, paths };
  addStandardErrors(document);
  pruneUnusedSchemas(document, [ErrorBody.name]);
  return document;
}
