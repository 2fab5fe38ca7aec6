import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A tiny in-memory Kubernetes API on 127.0.0.1, enough for the kube adapter's tests:
 * /version, namespaces, secrets, pods (+ /log), events, deployments (namespaced and cluster-wide),
 * SelfSubjectAccessReview, and watches (`?watch=true|1`) streamed as chunked JSON lines with
 * resourceVersion resume, 410 Gone for compacted versions, and hooks to drop or end connections.
 */

export type Resource = 'namespaces' | 'secrets' | 'pods' | 'events' | 'deployments';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RequestAttributes {
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'delete';
  resource: string;
  namespace?: string;
  name?: string;
}

export interface FakeKubeOptions {
  /** Require `Authorization: Bearer <token>`; anything else gets 401. */
  token?: string;
  /** Serve HTTPS with this key and certificate instead of HTTP. */
  tls?: { key: string; cert: string };
}

interface Watcher {
  resource: Resource;
  namespace?: string;
  selector: (labels: Record<string, string> | undefined) => boolean;
  res: ServerResponse;
}

interface HistoryEntry {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: Resource;
  object: KubeObject;
}

const KINDS: Record<Resource, { kind: string; apiVersion: string }> = {
  namespaces: { kind: 'Namespace', apiVersion: 'v1' },
  secrets: { kind: 'Secret', apiVersion: 'v1' },
  pods: { kind: 'Pod', apiVersion: 'v1' },
  events: { kind: 'Event', apiVersion: 'v1' },
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1' },
};

/** Equality-based selectors only (a=b, a==b, a!=b, a, !a), which is all the adapter sends. */
export function parseSelector(selector: string | null): (labels: Record<string, string> | undefined) => boolean {
  const terms = (selector ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return (labels = {}) =>
    terms.every((term) => {
      const ne = term.split('!=');
      if (ne.length === 2) return labels[ne[0]!.trim()] !== ne[1]!.trim();
      const eq = term.includes('==') ? term.split('==') : term.split('=');
      if (eq.length === 2) return labels[eq[0]!.trim()] === eq[1]!.trim();
      if (term.startsWith('!')) return !(term.slice(1) in labels);
      return term in labels;
    });
}

function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export class FakeKube {
  url = '';
  readonly requests: RecordedRequest[] = [];
  /** Return true to answer 403 Forbidden. */
  forbid: (attrs: RequestAttributes) => boolean = () => false;
  /** Return a status to fail the request with (e.g. a 422 that echoes the body, as validation errors can). */
  reject: (attrs: RequestAttributes, body: string) => { code: number; reason: string; message: string } | undefined = () => undefined;
  /** SelfSubjectAccessReview decision. */
  access: (attrs: Record<string, unknown>) => { allowed: boolean; reason?: string } = () => ({ allowed: true });
  /** Return true to never answer (the connection stays open). */
  hang: (path: string) => boolean = () => false;
  /** Pod logs by `ns/pod`; `previous` absent → 400 like a container that never restarted. */
  readonly logs = new Map<string, { current: string; previous?: string }>();
  serverVersion = 'v1.35.0-fake';
  /** TLS connections accepted so far (each one a handshake the client paid for). */
  tlsConnections = 0;

  #server: Server;
  #sockets = new Set<Socket>();
  #rv = 100;
  #compactedRv = 0;
  #store = new Map<Resource, Map<string, KubeObject>>();
  #history: HistoryEntry[] = [];
  #watchers = new Set<Watcher>();

  constructor(private readonly options: FakeKubeOptions = {}) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.#handle(req, res).catch((err: unknown) => {
        this.#json(res, 500, status(500, 'InternalError', String(err)));
      });
    };
    this.#server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
    this.#server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#server.on('secureConnection', (s: Socket) => {
      this.tlsConnections += 1;
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const w of this.#watchers) w.res.destroy();
    this.#watchers.clear();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ------------------------------------------------------------------ state

  get resourceVersion(): number {
    return this.#rv;
  }

  get openWatches(): number {
    return this.#watchers.size;
  }

  list(resource: Resource, namespace?: string): KubeObject[] {
    return [...(this.#store.get(resource)?.values() ?? [])].filter((o) => namespace === undefined || o.metadata.namespace === namespace);
  }

  get(resource: Resource, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#store.get(resource)?.get(`${namespace ?? ''}/${name}`);
  }

  /** Creates or updates an object (bumping its resourceVersion) and tells matching watches. */
  upsert(resource: Resource, object: KubeObject): KubeObject {
    const map = this.#store.get(resource) ?? new Map<string, KubeObject>();
    this.#store.set(resource, map);
    const key = `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    const existing = map.get(key);
    const stored: KubeObject = structuredClone({
      ...KINDS[resource],
      ...object,
      metadata: {
        ...object.metadata,
        uid: existing?.metadata.uid ?? object.metadata.uid ?? randomUUID(),
        creationTimestamp: existing?.metadata.creationTimestamp ?? object.metadata.creationTimestamp ?? new Date().toISOString(),
        resourceVersion: String(++this.#rv),
      },
    });
    map.set(key, stored);
    this.#record(existing ? 'MODIFIED' : 'ADDED', resource, stored);
    return stored;
  }

  remove(resource: Resource, namespace: string | undefined, name: string): boolean {
    const map = this.#store.get(resource);
    const key = `${namespace ?? ''}/${name}`;
    const existing = map?.get(key);
    if (!map || !existing) return false;
    map.delete(key);
    const gone = structuredClone({ ...existing, metadata: { ...existing.metadata, resourceVersion: String(++this.#rv) } });
    this.#record('DELETED', resource, gone);
    return true;
  }

  /** Kills every open watch connection abruptly (as a network drop or apiserver restart would). */
  dropWatches(): void {
    for (const w of this.#watchers) w.res.socket?.destroy();
    this.#watchers.clear();
  }

  /** Ends every open watch cleanly (as the apiserver does when its watch timeout passes). */
  endWatches(): void {
    for (const w of this.#watchers) w.res.end();
    this.#watchers.clear();
  }

  /** Sends `ERROR 410 Expired` on every open watch and ends it. */
  sendGone(): void {
    for (const w of this.#watchers) {
      w.res.write(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', 'too old resource version') })}\n`);
      w.res.end();
    }
    this.#watchers.clear();
  }

  /** Forgets history: resuming from any resourceVersion seen so far now gets 410. */
  compact(): void {
    this.#compactedRv = this.#rv + 1;
  }

  requestsTo(pathPrefix: string, filter: (r: RecordedRequest) => boolean = () => true): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix) && filter(r));
  }

  #record(type: HistoryEntry['type'], resource: Resource, object: KubeObject): void {
    const entry: HistoryEntry = { rv: this.#rv, type, resource, object };
    this.#history.push(entry);
    for (const w of this.#watchers) this.#send(w, entry);
  }

  #send(w: Watcher, entry: HistoryEntry): void {
    if (entry.resource !== w.resource) return;
    if (w.namespace !== undefined && entry.object.metadata.namespace !== w.namespace) return;
    if (!w.selector(entry.object.metadata.labels)) return;
    w.res.write(`${JSON.stringify({ type: entry.type, object: entry.object })}\n`);
  }

  // ------------------------------------------------------------------ HTTP

  #json(res: ServerResponse, code: number, body: unknown): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(recorded);
    if (this.hang(url.pathname)) return;
    if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
      this.#json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (url.pathname === '/version') {
      this.#json(res, 200, { major: '1', minor: '35', gitVersion: this.serverVersion, platform: 'linux/amd64' });
      return;
    }
    if (url.pathname === '/apis' && recorded.method === 'GET') {
      // API discovery: the groups the real server serves that tests ask about.
      const group = (name: string, versions: string[]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      });
      this.#json(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [group('apps', ['v1']), group('helm.toolkit.fluxcd.io', ['v2', 'v2beta2'])],
      });
      return;
    }
    if (url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews' && recorded.method === 'POST') {
      const review = JSON.parse(recorded.body) as { spec?: { resourceAttributes?: Record<string, unknown> } };
      const decision = this.access(review.spec?.resourceAttributes ?? {});
      this.#json(res, 201, { ...review, status: decision });
      return;
    }
    const route = this.#route(url.pathname);
    if (!route) {
      this.#json(res, 404, status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`));
      return;
    }
    const { resource, namespace, name, sub } = route;
    const method = recorded.method;
    const watching = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const verb: RequestAttributes['verb'] =
      method === 'POST'
        ? 'create'
        : method === 'PUT'
          ? 'update'
          : method === 'DELETE'
            ? 'delete'
            : name
              ? 'get'
              : watching
                ? 'watch'
                : 'list';
    if (this.forbid({ verb, resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) })) {
      const scope = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
      this.#json(
        res,
        403,
        status(
          403,
          'Forbidden',
          `${resource}${name ? ` "${name}"` : ''} is forbidden: User "tester" cannot ${verb} resource "${resource}" in API group ""${scope}`,
        ),
      );
      return;
    }
    const rejection = this.reject({ verb, resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) }, recorded.body);
    if (rejection) {
      this.#json(res, rejection.code, status(rejection.code, rejection.reason, rejection.message));
      return;
    }
    if (sub === 'log') {
      this.#log(res, namespace ?? '', name ?? '', url.searchParams);
      return;
    }
    if (watching) {
      this.#watch(res, resource, namespace, url.searchParams);
      return;
    }
    switch (method) {
      case 'GET': {
        if (name) {
          const obj = this.get(resource, namespace, name);
          if (obj) this.#json(res, 200, obj);
          else this.#json(res, 404, status(404, 'NotFound', `${resource} "${name}" not found`));
          return;
        }
        const selector = parseSelector(url.searchParams.get('labelSelector'));
        const items = this.list(resource, namespace).filter((o) => selector(o.metadata.labels));
        this.#json(res, 200, {
          kind: `${KINDS[resource].kind}List`,
          apiVersion: KINDS[resource].apiVersion,
          metadata: { resourceVersion: String(this.#rv) },
          items,
        });
        return;
      }
      case 'POST': {
        const body = JSON.parse(recorded.body) as KubeObject;
        const objName = body.metadata?.name ?? '';
        if (this.get(resource, namespace, objName)) {
          this.#json(res, 409, status(409, 'AlreadyExists', `${resource} "${objName}" already exists`));
          return;
        }
        const created = this.upsert(resource, { ...body, metadata: { ...body.metadata, ...(namespace ? { namespace } : {}) } });
        this.#json(res, 201, created);
        return;
      }
      case 'PUT': {
        const body = JSON.parse(recorded.body) as KubeObject;
        const existing = name ? this.get(resource, namespace, name) : undefined;
        if (!existing || !name) {
          this.#json(res, 404, status(404, 'NotFound', `${resource} "${name ?? ''}" not found`));
          return;
        }
        const rv = body.metadata?.resourceVersion;
        if (rv && rv !== existing.metadata.resourceVersion) {
          this.#json(
            res,
            409,
            status(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified`),
          );
          return;
        }
        this.#json(res, 200, this.upsert(resource, { ...body, metadata: { ...body.metadata, name, ...(namespace ? { namespace } : {}) } }));
        return;
      }
      case 'DELETE': {
        if (name && this.remove(resource, namespace, name)) this.#json(res, 200, status(200, '', 'deleted'));
        else this.#json(res, 404, status(404, 'NotFound', `${resource} "${name ?? ''}" not found`));
        return;
      }
      default:
        this.#json(res, 405, status(405, 'MethodNotAllowed', `method ${method} not allowed`));
    }
  }

  #route(pathname: string): { resource: Resource; namespace?: string; name?: string; sub?: string } | undefined {
    let parts = pathname
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    if (parts[0] === 'api' && parts[1] === 'v1') parts = parts.slice(2);
    else if (parts[0] === 'apis' && parts.length >= 3) parts = parts.slice(3);
    else return undefined;
    const known = (r: string | undefined): r is Resource => r !== undefined && r in KINDS;
    if (parts[0] === 'namespaces' && parts.length >= 3) {
      const [, namespace, resource, name, sub] = parts;
      if (!known(resource) || !namespace) return undefined;
      return { resource, namespace, ...(name ? { name } : {}), ...(sub ? { sub } : {}) };
    }
    const [resource, name] = parts;
    if (!known(resource)) return undefined;
    return { resource, ...(name ? { name } : {}) };
  }

  #log(res: ServerResponse, namespace: string, pod: string, query: URLSearchParams): void {
    const entry = this.logs.get(`${namespace}/${pod}`);
    if (!entry) {
      this.#json(res, 404, status(404, 'NotFound', `pods "${pod}" not found`));
      return;
    }
    const previous = query.get('previous') === 'true';
    let text = previous ? entry.previous : entry.current;
    if (text === undefined) {
      this.#json(res, 400, status(400, 'BadRequest', `previous terminated container "agent" in pod "${pod}" not found`));
      return;
    }
    const tail = query.get('tailLines');
    if (tail !== null) {
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      text = `${lines.slice(-Number(tail)).join('\n')}\n`;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(text);
  }

  #watch(res: ServerResponse, resource: Resource, namespace: string | undefined, query: URLSearchParams): void {
    const selector = parseSelector(query.get('labelSelector'));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const watcher: Watcher = { resource, ...(namespace !== undefined ? { namespace } : {}), selector, res };
    const rvText = query.get('resourceVersion') ?? '';
    const rv = Number(rvText);
    if (rvText !== '' && rvText !== '0' && rv < this.#compactedRv) {
      res.write(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${rv}`) })}\n`);
      res.end();
      return;
    }
    if (rvText === '' || rvText === '0') {
      // No resourceVersion: the current state as synthetic ADDED events, then changes.
      for (const object of this.list(resource, namespace)) {
        this.#send(watcher, { rv: Number(object.metadata.resourceVersion), type: 'ADDED', resource, object });
      }
    } else {
      for (const entry of this.#history) if (entry.rv > rv) this.#send(watcher, entry);
    }
    this.#watchers.add(watcher);
    res.on('close', () => this.#watchers.delete(watcher));
  }
}

export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKube> {
  return new FakeKube(options).start();
}
