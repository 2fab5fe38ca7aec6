import { rootCertificates } from 'node:tls';

/** The part of an undici dispatcher this adapter relies on; fetch() uses the rest. */
export interface FetchDispatcher {
  close(): Promise<void>;
}

type AgentClass = new (options: { connect: { ca: string[] } }) => FetchDispatcher;

/** Where every undici copy (Node's bundled one included) keeps the process-wide dispatcher. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/**
 * An undici Agent that trusts the system roots plus `caPem`, for gitbeaker's `agent` option
 * (it is passed to fetch() as `dispatcher`).
 *
 * Node's fetch only accepts dispatchers from its own bundled undici: the npm undici 8 that
 * @kubernetes/client-node brings fails with "invalid onRequestStart method" on Node 24, whose fetch
 * is undici 7. So the Agent class is taken from Node's own global dispatcher, which Node installs
 * when its fetch implementation loads (touching globalThis.Request loads it).
 */
export function privateCaDispatcher(caPem: string): FetchDispatcher {
  void globalThis.Request;
  const current = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER];
  const Agent = (current as { constructor?: unknown } | undefined)?.constructor;
  if (typeof Agent !== 'function' || Agent.name !== 'Agent') {
    throw new Error(
      'cannot build an HTTPS agent with the extra CA on this Node.js version; set NODE_EXTRA_CA_CERTS to the CA file instead',
    );
  }
  return new (Agent as AgentClass)({ connect: { ca: [...rootCertificates, caPem] } });
}
