// A real OpenID provider for tests: panva's oidc-provider (certified, ESM-only, so it runs in
// its own Node process). Configuration comes as JSON, in the first argument or in the
// environment variable OIDC_TEST_PROVIDER_CONFIG:
//   { port?, client: { clientId, clientSecret, redirectUris }, account: { sub, name?, email?,
//     password? }, autoLogin? }
// When it listens it prints one line to stdout: {"issuer":"http://127.0.0.1:<port>"}.
//
// Its interaction (login and consent) is a plain HTML form, so a browser and a fetch-based test
// can both drive it: GET /interaction/:uid shows the form (or signs the account in at once with
// autoLogin), POST /interaction/:uid/login checks username and password, POST
// /interaction/:uid/abort answers the relying party with error=access_denied. Consent is granted
// without asking: the provider plays a first-party identity provider.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';
import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2] ?? process.env.OIDC_TEST_PROVIDER_CONFIG ?? '{}');
const { client, account } = config;
if (!client?.clientId || !client?.clientSecret || !Array.isArray(client?.redirectUris)) {
  throw new Error('OIDC_TEST_PROVIDER_CONFIG needs client.clientId, clientSecret and redirectUris');
}
if (!account?.sub) throw new Error('OIDC_TEST_PROVIDER_CONFIG needs account.sub');

const html = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

function claimsOf(acct) {
  const claims = { sub: acct.sub };
  if (acct.name !== undefined) claims.name = acct.name;
  if (acct.email !== undefined) {
    claims.email = acct.email;
    claims.email_verified = acct.emailVerified ?? true;
  }
  return claims;
}

function providerConfiguration() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    findAccount: (_ctx, id) =>
      id === account.sub ? { accountId: id, claims: () => claimsOf(account) } : undefined,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    // Tests and the browser test print these pages; the default page is fine but says less.
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Error</title><h1>oidc-provider error</h1><pre>${html(
        JSON.stringify(out, null, 2),
      )}</pre>`;
    },
  };
}

function loginForm(uid, message) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test provider sign-in</title></head>
<body>
<h1>Test provider sign-in</h1>
${message ? `<p class="error">${html(message)}</p>` : ''}
<form id="login" method="post" action="/interaction/${html(uid)}/login">
<label>Username <input type="text" name="username" autocomplete="username" autofocus></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
<form id="abort" method="post" action="/interaction/${html(uid)}/abort">
<button type="submit">Cancel</button>
</form>
</body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16 * 1024) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

/** Grants what the relying party asked for: a first-party provider does not ask for consent. */
async function grantConsent(provider, interaction) {
  const { prompt, params, session, grantId } = interaction;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return { consent: { grantId: await grant.save() } };
}

async function interaction(provider, req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction does not match its cookie');
  const finish = (result) => provider.interactionFinished(req, res, result);

  if (action === 'abort') {
    return finish({ error: 'access_denied', error_description: 'End-User aborted interaction' });
  }
  if (details.prompt.name === 'consent') return finish(await grantConsent(provider, details));
  if (details.prompt.name !== 'login') throw new Error(`unknown prompt ${details.prompt.name}`);

  if (action === 'login') {
    const form = await readForm(req);
    const valid =
      form.get('username') === account.sub &&
      (account.password === undefined || form.get('password') === account.password);
    if (!valid) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(loginForm(uid, 'Wrong username or password.'));
    }
    return finish({ login: { accountId: account.sub } });
  }
  if (config.autoLogin) return finish({ login: { accountId: account.sub } });
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  return res.end(loginForm(uid));
}

const server = createServer();
server.listen(config.port ?? 0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, providerConfiguration());
  const oidc = provider.callback();
  const route = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/;

  server.on('request', (req, res) => {
    const match = route.exec(new URL(req.url, issuer).pathname);
    if (!match) return oidc(req, res);
    const [, uid, action] = match;
    const expected = action ? 'POST' : 'GET';
    if (req.method !== expected) {
      res.writeHead(405, { allow: expected });
      return res.end();
    }
    interaction(provider, req, res, uid, action).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`interaction failed: ${error.message}\n`);
    });
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
