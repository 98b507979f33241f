import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';

/**
 * A DNS lookup that answers 127.0.0.1 for every name below the realm's domain (`*.example.test`)
 * and asks the system resolver for anything else: a hosts file for the test process, like
 * Chromium's `--host-resolver-rules`.
 */
/** The test realm's root domain, as the browser tests map it too. */
export const MAPPED_DOMAIN = 'example.test';

export const toLoopback: LookupFunction = (hostname, options, callback) => {
  if (!hostname.endsWith(`.${MAPPED_DOMAIN}`)) return dnsLookup(hostname, options, callback);
  if (options.all) {
    return (callback as never as (e: null, a: object[]) => void)(null, [
      { address: '127.0.0.1', family: 4 },
    ]);
  }
  callback(null, '127.0.0.1', 4);
};

/**
 * Makes undici's global dispatcher (used by the service's logout dispatcher, and by fetch)
 * resolve the realm's names to loopback, so back-channel URIs on `*.example.test` reach servers of
 * the test process. Returns the undo: the previous dispatcher is put back, this one closed.
 */
export function mapRealmNamesToLoopback(): () => Promise<void> {
  const previous = getGlobalDispatcher();
  const agent = new Agent({ connect: { lookup: toLoopback } });
  setGlobalDispatcher(agent);
  return async () => {
    setGlobalDispatcher(previous);
    await agent.close();
  };
}
