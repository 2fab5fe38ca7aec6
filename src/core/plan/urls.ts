/** URL checks for the GitLab instance, the agent server (KAS) and proxies. */

export function parseGitLabUrl(raw: string): { url: string } | { problem: string } {
  let text = raw.trim();
  if (!/^[a-z]+:\/\//i.test(text)) text = `https://${text}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { problem: `"${raw}" is not a URL` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { problem: `"${raw}" must be an http(s) URL` };
  if (!u.hostname) return { problem: `"${raw}" has no host` };
  // Accept what people paste: the API URL or a trailing slash.
  const path = u.pathname.replace(/\/+$/, '').replace(/\/api\/v4$/, '');
  return { url: `${u.protocol}//${u.host}${path}` };
}

const KAS_SCHEMES = ['wss:', 'ws:', 'grpcs:', 'grpc:'];

export function kasAddressProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `"${raw}" is not a URL`;
  }
  if (!KAS_SCHEMES.includes(u.protocol)) return `"${raw}" must start with wss://, ws://, grpcs:// or grpc://`;
  return undefined;
}

/** A WebSocket KAS address with a path needs its trailing slash, or agentk gets "101 but got 301". */
export function kasAddressWarning(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    if ((u.protocol === 'wss:' || u.protocol === 'ws:') && u.pathname.length > 1 && !u.pathname.endsWith('/')) {
      return `the KAS address path should end with "/" (${raw}/): without it agentk's handshake gets a 301 redirect`;
    }
    if (u.protocol === 'ws:' || u.protocol === 'grpc:') return 'the KAS address is not encrypted (ws:// or grpc://)';
  } catch {
    return undefined;
  }
  return undefined;
}

export function proxyUrlProblem(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    if (!['http:', 'https:', 'socks5:'].includes(u.protocol)) return `"${raw}" must be an http://, https:// or socks5:// URL`;
    return undefined;
  } catch {
    return `"${raw}" is not a URL`;
  }
}

/** In-cluster destinations that must bypass the proxy; the user adds the Service CIDR of their cluster. */
export const SUGGESTED_NO_PROXY = 'localhost,127.0.0.1,.svc,.cluster.local,kubernetes.default.svc';

export function isGitLabDotCom(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'gitlab.com' || host === 'www.gitlab.com';
  } catch {
    return false;
  }
}
