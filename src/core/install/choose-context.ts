import { UsageError, FlowError } from '../errors.js';
import type { FlowIO } from '../flow/outcome.js';
import type { Choice } from '../flow/questions.js';
import type { KubeConfigSource, KubeContextInfo, ProbeResult } from '../ports/kube.js';
import type { InstallDeps } from './deps.js';

export interface ChosenContext {
  context: KubeContextInfo;
  probe: ProbeResult;
}

export function probeHint(result: ProbeResult): string {
  if (result.ok) return `✓ ${result.serverVersion}`;
  const what: Record<string, string> = {
    unreachable: 'unreachable',
    unauthorized: 'credentials rejected',
    'exec-plugin': 'credential plugin failed',
    tls: 'TLS error',
    timeout: 'no answer',
    other: 'error',
  };
  return `✗ ${what[result.kind] ?? result.kind}`;
}

/** Why a context cannot be used, in words a user can act on. */
export function probeFailureMessage(context: string, result: Extract<ProbeResult, { ok: false }>): FlowError {
  const hints: Record<string, string> = {
    unreachable: 'check the server address, VPN or tunnel, and that the cluster is running',
    unauthorized: 'your credentials for this context were rejected: log in again (e.g. refresh your cloud CLI session)',
    'exec-plugin': "the context's credential plugin failed: run it by hand (kubectl get ns) to see why",
    tls: "the server's certificate does not match the kubeconfig's CA",
    timeout: 'the server did not answer in time',
    other: 'run kubectl --context with the same context to see the error',
  };
  return new FlowError('context', `context "${context}": ${result.message}`, hints[result.kind]);
}

/**
 * Lists contexts and probes all of them at once in the background; the picker shows results
 * as they arrive instead of waiting for the slowest (unreachable) cluster.
 */
export async function chooseContext(
  source: KubeConfigSource,
  wanted: string | undefined,
  deps: InstallDeps,
  io: FlowIO,
): Promise<ChosenContext> {
  const contexts = await deps.kube.listContexts(source);
  if (contexts.length === 0) {
    throw new UsageError('kubeconfig', 'the kubeconfig has no contexts', 'add one with kubectl config set-context, or pass --kubeconfig');
  }
  const timeout = deps.probeTimeoutMs ?? 4000;
  const probes = new Map<string, Promise<ProbeResult>>();
  const probe = (name: string) => {
    let p = probes.get(name);
    if (!p) {
      p = deps.kube.probe(source, name, timeout);
      probes.set(name, p);
    }
    return p;
  };

  let chosen: KubeContextInfo | undefined;
  if (wanted !== undefined) {
    chosen = contexts.find((c) => c.name === wanted);
    if (!chosen) {
      const names = contexts.map((c) => c.name).join(', ');
      throw new UsageError('--context', `unknown context "${wanted}"`, `choose one of: ${names}`);
    }
  } else {
    for (const c of contexts) void probe(c.name);
    const current = contexts.find((c) => c.current) ?? contexts[0]!;
    const choices: Choice[] = contexts.map((c) => ({
      value: c.name,
      label: c.name,
      hint: `${c.server}${c.namespace ? ` · ns ${c.namespace}` : ''}${c.current ? ' · current' : ''} · probing…`,
    }));
    const name = await io.asker.ask({
      kind: 'select',
      id: 'context',
      flag: '--context',
      message: 'Which cluster should the agent run in?',
      help: 'Kube contexts from your kubeconfig; reachability is checked in the background.',
      choices,
      default: current.name,
      liveHints: (onHint) => {
        let live = true;
        for (const c of contexts) {
          void probe(c.name).then((r) => {
            if (live) onHint(c.name, `${c.server}${c.current ? ' · current' : ''} · ${probeHint(r)}`);
          });
        }
        return () => {
          live = false;
        };
      },
    });
    chosen = contexts.find((c) => c.name === name)!;
  }
  return { context: chosen, probe: await probe(chosen.name) };
}
