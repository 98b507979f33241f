import { Controller, Get, Header } from '@nestjs/common';
import { ServiceSettings } from '../config/service-settings';
import { Public } from '../http/access';

/**
 * OpenID Provider metadata (OpenID Connect Discovery 1.0): the issuer, the endpoints, the
 * JWKS and the logout support. No ID tokens are issued, so no ID token algorithms are listed.
 */
@Controller('.well-known/openid-configuration')
@Public()
export class DiscoveryController {
  private readonly metadata: Record<string, unknown>;

  constructor(settings: ServiceSettings) {
    const issuer = settings.publicUrl.origin;
    this.metadata = {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      end_session_endpoint: `${issuer}/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      subject_types_supported: ['public'],
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      frontchannel_logout_supported: true,
      frontchannel_logout_session_supported: true,
    };
  }

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  metadataDocument(): Record<string, unknown> {
    return this.metadata;
  }
}
