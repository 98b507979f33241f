import type { INestApplication } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from './openapi-document';

/** The OpenAPI document, built once when the application is configured (it needs the app). */
@Injectable()
export class OpenApiDocument {
  private document?: OpenAPIObject;

  get(): OpenAPIObject {
    if (!this.document)
      throw new Error('the OpenAPI document was not built (publishOpenApiDocument)');
    return this.document;
  }

  set(document: OpenAPIObject): void {
    this.document = document;
  }
}

/** Builds the document from the app's controllers and hands it to GET /openapi.json. */
export function publishOpenApiDocument(app: INestApplication): void {
  app.get(OpenApiDocument).set(buildOpenApiDocument(app));
}
