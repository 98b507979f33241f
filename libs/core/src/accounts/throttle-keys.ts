import { isIPv4, isIPv6 } from 'node:net';

/**
 * Keyed by the name typed, not by the account, so that unknown and existing usernames are
 * throttled alike and the throttle reveals nothing. Realm names contain no `:`.
 */
export function accountThrottleKey(realm: string, username: string): string {
  return `account:${realm}:${username}`;
}

/**
 * IPv4 addresses count one by one. An IPv6 user normally holds a whole /64, so an address
 * counts by its /64 prefix; otherwise each attempt could come from a fresh address.
 */
export function addressThrottleKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  const address = mapped ? mapped[1] : ip;
  if (isIPv4(address)) return `address:${address}`;
  if (isIPv6(address)) return `address:${ipv6Prefix64(address)}`;
  return `address:${ip.slice(0, 64)}`;
}

/** `2001:db8:0:1::/64` for any address in that /64, however it was written. */
function ipv6Prefix64(ip: string): string {
  const [head, tail] = ip.split('%')[0].toLowerCase().split('::');
  const headGroups = groupsOf(head);
  const tailGroups = groupsOf(tail);
  const groups =
    tail === undefined
      ? headGroups
      : [
          ...headGroups,
          ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'),
          ...tailGroups,
        ];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** An embedded IPv4 part (`::ffff:1.2.3.4`) fills the last two groups; its value does not matter here. */
function groupsOf(part: string | undefined): string[] {
  if (!part) return [];
  return part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
}
