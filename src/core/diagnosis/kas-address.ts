/** KAS addresses as agentk takes them (`wss|ws|grpcs|grpc`), parsed for comparison with /metadata. */

type KasScheme = 'wss' | 'ws' | 'grpcs' | 'grpc';

export interface KasUrl {
  raw: string;
  scheme: KasScheme;
  host: string;
  port: number;
  /** "" for none; WebSocket paths keep their trailing slash. */
  path: string;
  tls: boolean;
  websocket: boolean;
}

export function parseKasUrl(raw: string | null | undefined): KasUrl | undefined {
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return undefined;
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'wss' && scheme !== 'ws' && scheme !== 'grpcs' && scheme !== 'grpc') return undefined;
  const tls = scheme === 'wss' || scheme === 'grpcs';
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!host) return undefined;
  const port = u.port ? Number(u.port) : tls ? 443 : 80;
  const path = u.pathname === '/' && !raw.trim().endsWith('/') ? '' : u.pathname;
  return { raw: raw.trim(), scheme, host, port, path: path === '/' ? '/' : path, tls, websocket: scheme === 'wss' || scheme === 'ws' };
}

/** The https:// (or http://) URL agentk's WebSocket dial GETs, for curl-style fixes. */
export function httpUrlOf(kas: KasUrl): string {
  const proto = kas.tls ? 'https' : 'http';
  const defaultPort = kas.tls ? 443 : 80;
  return `${proto}://${kas.host}${kas.port === defaultPort ? '' : `:${kas.port}`}${kas.path || '/'}`;
}

/** A ws(s) address with a path but no trailing slash: GitLab answers the handshake with 301 (troubleshooting doc). */
export function missingTrailingSlash(kas: KasUrl): boolean {
  return kas.websocket && kas.path.length > 1 && !kas.path.endsWith('/');
}

export function withTrailingSlash(kas: KasUrl): string {
  return missingTrailingSlash(kas) ? `${kas.raw}/` : kas.raw;
}
