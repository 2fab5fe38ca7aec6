import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { authenticate, requireScope } from './auth.js';
import { type Fault, Faults } from './faults.js';
import { graphqlEndpoint } from './graphql/endpoint.js';
import { ApiError, fail, readBody, type Reply } from './http.js';
import { matchRoute, type Route, RouteContext } from './router.js';
import { agentRoutes } from './routes/agents.js';
import { fileRoutes } from './routes/files.js';
import { instanceRoutes } from './routes/instance.js';
import { mergeRequestRoutes } from './routes/merge-requests.js';
import { projectRoutes } from './routes/projects.js';
import { urlConfigurationRoutes } from './routes/url-configurations.js';
import { FakeGitLabState } from './state.js';
import type { FakeGitLabOptions, RecordedRequest } from './types.js';

export { FakeGitLabState } from './state.js';
export { Access } from './types.js';
export type { FakeGitLabOptions, RecordedRequest } from './types.js';
export type { Fault } from './faults.js';
export { seedStandardWorld, type StandardWorld } from './seed.js';
export { mergeMergeRequest, mergeRequestsOf, type FakeMergeRequest } from './routes/merge-requests.js';

export interface FakeGitLab {
  /** http(s)://127.0.0.1:<port>: what a client uses as the GitLab URL. */
  url: string;
  state: FakeGitLabState;
  /** Every request in arrival order, credentials redacted. */
  requests: RecordedRequest[];
  /** Make the next matching request(s) fail with a canned status and body. */
  failNext(fault: Fault): void;
  close(): Promise<void>;
}

const API_PREFIX = '/api/v4';
const SECRET_HEADERS = new Set(['private-token', 'authorization', 'job-token', 'cookie']);
const SECRET_PARAMS = new Set(['private_token', 'access_token', 'job_token']);
const routes: Route[] = [
  ...instanceRoutes,
  ...projectRoutes,
  ...agentRoutes,
  ...urlConfigurationRoutes,
  ...fileRoutes,
  ...mergeRequestRoutes,
];

function redactedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = SECRET_HEADERS.has(name) ? '[REDACTED]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function redactedQuery(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = SECRET_PARAMS.has(name) ? '[REDACTED]' : value;
  return query;
}

/** Routes one /api/v4 request: 404/405 for unknown routes, then 401, scope check, handler. */
async function restReply(
  state: FakeGitLabState,
  req: IncomingMessage,
  url: URL,
  apiPath: string,
  body: unknown,
): Promise<{ reply: Reply; user?: string }> {
  const match = matchRoute(routes, state, req.method ?? 'GET', apiPath);
  if (match === undefined) throw fail.noRoute();
  if (match === 'wrong-method') throw new ApiError({ status: 405, body: { error: '405 Not Allowed' } });
  const caller = authenticate(req, url, state);
  if (!caller && !match.route.anonymous) throw fail.unauthorized();
  if (caller) requireScope(caller, req.method ?? 'GET', match.route.scopes ?? 'api');
  const params = {
    ...Object.fromEntries(url.searchParams),
    ...(typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}),
  };
  const ctx = new RouteContext(state, caller, url, match.path, params);
  return { reply: await match.route.handle(ctx), user: caller?.user.username };
}

function send(res: ServerResponse, reply: Reply): void {
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.status === 204 || reply.body === undefined) {
    res.end();
    return;
  }
  if (typeof reply.body === 'string' && reply.headers?.['content-type']) {
    res.end(reply.body); // a raw page, e.g. a proxy's HTML error (see Fault.contentType)
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(reply.body));
}

/**
 * Starts a fake GitLab on 127.0.0.1 with a random port. It follows the documented REST API
 * (status codes and error bodies included) for the endpoints an agent installer uses, plus
 * POST /api/graphql for Project.clusterAgent. See README.md.
 */
export async function startFakeGitLab(options: FakeGitLabOptions = {}): Promise<FakeGitLab> {
  const state = new FakeGitLabState(options);
  const requests: RecordedRequest[] = [];
  const faults = new Faults();

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', state.baseUrl);
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: rawPath,
      query: redactedQuery(url),
      body: null,
      headers: redactedHeaders(req),
      status: 0,
    };
    requests.push(record);
    let reply: Reply;
    try {
      const body = await readBody(req);
      record.body = body;
      const apiPath = rawPath.startsWith(`${API_PREFIX}/`) ? rawPath.slice(API_PREFIX.length) : undefined;
      const injected = faults.take(record.method, apiPath ?? rawPath);
      if (injected) {
        if (injected.delayMs) await new Promise((resolve) => setTimeout(resolve, injected.delayMs));
        reply = injected;
      } else if (rawPath === '/api/graphql' && record.method === 'POST') {
        reply = graphqlEndpoint(state, req, url, body);
      } else if (apiPath !== undefined) {
        const result = await restReply(state, req, url, apiPath, body);
        reply = result.reply;
        record.user = result.user;
      } else {
        reply = { status: 404, body: { error: '404 Not Found' } };
      }
    } catch (error) {
      if (!(error instanceof ApiError)) {
        // A bug in the fake, not GitLab behaviour: make it loud in the test output.
        console.error('fake-gitlab: handler crashed', error);
        reply = { status: 500, body: { message: '500 Internal Server Error' } };
      } else {
        reply = error.reply;
      }
    }
    record.status = reply.status;
    send(res, reply);
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => void handler(req, res);
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createHttpServer(listener);
  // KAS behind GitLab's front door (Omnibus's /-/kubernetes-agent/): a WebSocket upgrade there is accepted as
  // KAS accepts it, then closed (the fake speaks no gRPC); any other upgrade is refused as NGINX would.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const path = (req.url ?? '').split('?')[0];
    const key = req.headers['sec-websocket-key'];
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, k === 'authorization' ? '[redacted]' : String(v)]));
    requests.push({
      method: req.method ?? 'GET',
      path: path ?? '',
      query: {},
      body: null,
      headers,
      status: path === '/-/kubernetes-agent/' && key ? 101 : 404,
    });
    if (path !== '/-/kubernetes-agent/' || typeof key !== 'string') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.end(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  state.baseUrl = `${scheme}://127.0.0.1:${port}`;
  // Self-managed KAS address form (gitlab-facts §1.4) unless the test chose one.
  if (state.metadata.kas.enabled && options.metadata?.kas?.externalUrl === undefined) {
    state.metadata.kas.externalUrl = `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}/-/kubernetes-agent/`;
    state.metadata.kas.externalK8sProxyUrl = `${state.baseUrl}/-/kubernetes-agent/k8s-proxy/`;
  }

  return {
    url: state.baseUrl,
    state,
    requests,
    failNext: (fault) => faults.add(fault),
    close: async () => {
      state.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
