import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ServiceSettings } from '../config/service-settings';

/**
 * HTTP settings shared by the service and the tests that boot it: strict JSON bodies with a
 * size bound, validation that refuses unknown fields, and no automatic ETags (the session API
 * sets its own, and Express's would answer 304s on its own).
 */
export function configureApp(app: NestExpressApplication, settings: ServiceSettings): void {
  app.set('etag', false);
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: settings.maxBodyBytes, strict: true });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
}
