import type { DocumentBuilder } from '@nestjs/swagger';

/** Security scheme names, as controllers name them in @ApiBearerAuth / @ApiSecurity. */
export const ADMIN_TOKEN = 'adminToken';
export const APP_CLIENT = 'appClient';
export const APP_SESSION = 'appSession';

/** The three credentials of the documented APIs, described as the AccessGuard checks them. */
export function addSecuritySchemes(builder: DocumentBuilder): DocumentBuilder {
  return builder
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'An admin API token (`Authorization: Bearer <token>`), made with `npm run cli -- create-admin-token` ' +
          'or POST /admin/v1/tokens. Scope `read` for GETs, `full` for changes. 401 without or with a bad ' +
          'token, 403 without the scope.',
      },
      ADMIN_TOKEN,
    )
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description:
          'The app (OAuth 2.0 client authentication): `Authorization: Basic base64(urlencode(client_id) ":" ' +
          'urlencode(secret))`. Wrong or missing: 401 `invalid_client` with a `WWW-Authenticate: Basic` challenge.',
      },
      APP_CLIENT,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Tessera-Session',
        description:
          'The app session token from POST /token. Unknown, ended, expired, or issued to another app: ' +
          '401 `invalid_session` (one answer for all).',
      },
      APP_SESSION,
    );
}
