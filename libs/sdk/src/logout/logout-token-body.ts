import type { Request } from 'express';
import { LogoutTokenError } from './logout-token-error';

const FORM = 'application/x-www-form-urlencoded';

/**
 * The `logout_token` of a back-channel POST. Reads the body itself, at most `limitBytes`, so the
 * endpoint needs no body parser in front of it; if the app's own parser already read the form,
 * its result is used.
 */
export async function readLogoutToken(req: Request, limitBytes: number): Promise<string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== FORM) throw new LogoutTokenError(`the body must be ${FORM}`);
  const params = alreadyParsed(req) ?? new URLSearchParams(await readBody(req, limitBytes));
  const tokens = params.getAll('logout_token');
  if (tokens.length !== 1) throw new LogoutTokenError('exactly one logout_token is required');
  return tokens[0];
}

function alreadyParsed(req: Request): URLSearchParams | undefined {
  // A body parser has consumed the stream; reading it again would wait forever.
  if (!req.readableEnded && req.readable) return undefined;
  const body: unknown = req.body;
  const params = new URLSearchParams();
  if (typeof body !== 'object' || body === null) return params;
  const value = (body as Record<string, unknown>).logout_token;
  for (const item of Array.isArray(value) ? value : [value]) {
    if (typeof item === 'string') params.append('logout_token', item);
  }
  return params;
}

function readBody(req: Request, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limitBytes) return reject(new LogoutTokenError('the body is too large'));
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off('data', onData);
        // Keep draining so the 400 can still be sent on a keep-alive connection.
        req.resume();
        reject(new LogoutTokenError('the body is too large'));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', (cause) =>
      reject(new LogoutTokenError('the body could not be read', 400, { cause })),
    );
  });
}
