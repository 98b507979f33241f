import type { AppRegistry, RegisteredApp } from '@tessera/core';

/** A validated logout request: where to send the browser afterwards, if anywhere. */
export interface LogoutRequest {
  readonly app?: RegisteredApp;
  readonly postLogoutRedirectUri?: string;
  readonly state?: string;
}

/** A request that must be answered on a page at the service, never by a redirect. */
export class InvalidLogoutRequest extends Error {}

/**
 * The parameters of GET and POST /logout (OpenID Connect RP-Initiated Logout 1.0): a
 * post-logout URI is followed only when it is registered exactly for the named client.
 */
export async function logoutRequestOf(
  params: Record<string, unknown>,
  apps: AppRegistry,
): Promise<LogoutRequest> {
  const text = (name: string): string | undefined => {
    const value = params[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string' || value.length > 2048)
      throw new InvalidLogoutRequest(`${name} is malformed.`);
    return value;
  };
  const clientId = text('client_id');
  const postLogoutRedirectUri = text('post_logout_redirect_uri');
  const state = text('state');
  if (clientId === undefined) {
    if (postLogoutRedirectUri !== undefined) {
      throw new InvalidLogoutRequest(
        'A return address needs the client_id of the application it belongs to.',
      );
    }
    return {};
  }
  const app = await apps.findByClientId(clientId);
  if (!app?.enabled)
    throw new InvalidLogoutRequest('The application that sent you here is not registered.');
  if (
    postLogoutRedirectUri !== undefined &&
    !app.postLogoutRedirectUris.includes(postLogoutRedirectUri)
  ) {
    throw new InvalidLogoutRequest(
      'The address the application asked to return to is not registered for it.',
    );
  }
  return { app, postLogoutRedirectUri, state };
}
