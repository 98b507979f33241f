import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { publishOpenApiDocument } from '../admin/openapi/openapi-document.holder';
import type { ServiceSettings } from '../config/service-settings';

/**
 * No script at all, styles only from the service's own stylesheet, no framing, forms only to the
 * service. The login page widens `form-action` to the one app it will redirect to.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/**
 * HTTP settings shared by the service and the tests that boot it: strict JSON bodies with a
 * size bound, validation that refuses unknown fields, and no automatic ETags (the session API
 * sets its own, and Express's would answer 304s on its own).
 */
export function configureApp(app: NestExpressApplication, settings: ServiceSettings): void {
  app.set('etag', false);
  if (settings.trustProxy !== undefined) app.set('trust proxy', settings.trustProxy);
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: settings.maxBodyBytes, strict: true });
  // Form posts (login page, /token) are small; `extended: false` turns repeated names into arrays,
  // which validation then refuses.
  app.useBodyParser('urlencoded', { limit: '16kb', extended: false });
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      // Same-origin stylesheet only; nothing cross-origin is embedded.
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  // Built once here, from the registered controllers, for GET /openapi.json.
  publishOpenApiDocument(app);
}
