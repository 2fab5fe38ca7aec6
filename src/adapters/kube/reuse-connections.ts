import type { KubeConfig } from './client-node.js';

/** KubeConfig.createDispatcher: private in its types, called by client-node for every API request. */
type CreateDispatcher = (cluster: unknown, agentOptions: Record<string, unknown>) => { close(): Promise<void> } | undefined;
const withDispatcher = (kc: KubeConfig) => kc as unknown as { createDispatcher: CreateDispatcher };

/** What makes two connections interchangeable: the server, its proxy and the TLS identity (certificates may rotate). */
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;
function identity(cluster: unknown, options: Record<string, unknown>): string {
  const c = (cluster ?? {}) as { server?: string; proxyUrl?: string };
  const part = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v === undefined ? '' : String(v));
  return [c.server, c.proxyUrl, ...TLS_FIELDS.map((f) => part(options[f]))].join('\n');
}

/**
 * client-node builds a new undici Agent for every request, so no connection is ever reused: each API call pays
 * a TCP connect, a TLS handshake and a new TLS context (16 connections for one diagnosis, where kubectl opens one
 * per command). This keeps one dispatcher per KubeConfig while the TLS identity stays the same, so keep-alive
 * connections carry the next requests; a new identity (a rotated client certificate) gets a new one.
 */
export function reuseConnections(kc: KubeConfig): void {
  const target = withDispatcher(kc);
  const create = target.createDispatcher.bind(kc);
  let current: { key: string; dispatcher: ReturnType<CreateDispatcher> } | undefined;
  target.createDispatcher = (cluster, agentOptions) => {
    const key = identity(cluster, agentOptions);
    if (current?.key === key) return current.dispatcher;
    // The previous identity's idle connections close; requests still on them finish first.
    void current?.dispatcher?.close().catch(() => undefined);
    current = { key, dispatcher: create(cluster, agentOptions) };
    return current.dispatcher;
  };
}
