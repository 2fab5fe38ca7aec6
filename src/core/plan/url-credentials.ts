/**
 * A URL with its userinfo (`user:pass@`) masked, for proxy values shown in evidence, fixes, the screen and
 * the bundle. Proxies are often written without a scheme (`user:pass@proxy:3128`, which Go and curl accept),
 * and a password may hold a raw `@`: the userinfo ends at the last `@` before the path.
 */
export function maskUrlCredentials(value: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? '';
  const rest = value.slice(scheme.length);
  const end = rest.search(/[/?#\s]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  return at === -1 ? value : `${scheme}***@${rest.slice(at + 1)}`;
}
