import { FlowError, UsageError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { optionError } from '../../options/catalogue.js';
import { KUBE_FAILURE_HINTS } from '../../plan/kube-hints.js';
import type { Ports } from '../../ports/index.js';
import type { KubeConfigSource, KubeContextInfo, ProbeResult } from '../../ports/kube/index.js';
import { aboutOption } from '../ask.js';

export interface ChosenContext {
  context: KubeContextInfo;
  probe: ProbeResult;
}

const PROBE_WORDS: Record<string, string> = {
  unreachable: 'unreachable',
  unauthorized: 'credentials rejected',
  'exec-plugin': 'credential plugin failed',
  tls: 'TLS error',
  timeout: 'no answer',
  other: 'error',
};

function probeHint(result: ProbeResult): string {
  if (result.ok) return `✓ ${result.serverVersion}`;
  return `✗ ${PROBE_WORDS[result.kind] ?? result.kind}`;
}

/** Why a context cannot be used, in words a user can act on. */
export function probeFailureMessage(context: string, result: Extract<ProbeResult, { ok: false }>): FlowError {
  return new FlowError('context', `context "${context}": ${result.message}`, KUBE_FAILURE_HINTS[result.kind]);
}

/**
 * Lists contexts and probes all of them at once in the background; the picker shows results
 * as they arrive instead of waiting for the slowest (unreachable) cluster.
 */
/** The kubeconfig's contexts, and the wanted one among them: local checks, no cluster is asked. */
export async function listKubeContexts(source: KubeConfigSource, wanted: string | undefined, ports: Ports): Promise<KubeContextInfo[]> {
  const contexts = await ports.kube.listContexts(source);
  if (contexts.length === 0) {
    throw new UsageError('kubeconfig', 'the kubeconfig has no contexts', 'add one with kubectl config set-context, or pass --kubeconfig');
  }
  if (wanted !== undefined && !contexts.some((c) => c.name === wanted)) {
    throw optionError('context', `unknown context "${wanted}"`, `choose one of: ${contexts.map((c) => c.name).join(', ')}`);
  }
  return contexts;
}

async function firstReachable(names: string[], probe: (name: string) => Promise<ProbeResult>): Promise<string | undefined> {
  for (const name of names) if ((await probe(name)).ok) return name;
  return undefined;
}

/**
 * The context the agent goes to. An unreachable one is refused with its reason; in an interactive run
 * the picker comes back with that reason shown (flag mode: exit 1), unless `acceptUnreachable` (a dry
 * run, which then only skips the cluster checks). `message`: the question, when the command is not an
 * install ("Which cluster is the agent in?").
 */
export async function chooseContext(
  source: KubeConfigSource,
  wanted: string | undefined,
  ports: Ports,
  io: FlowIO,
  options: { acceptUnreachable?: boolean; message?: string } = {},
): Promise<ChosenContext> {
  const contexts = await listKubeContexts(source, wanted, ports);
  const timeout = ports.probeTimeoutMs ?? 4000;
  const probes = new Map<string, Promise<ProbeResult>>();
  const probe = (name: string) => {
    let p = probes.get(name);
    if (!p) {
      p = ports.kube.probe(source, name, timeout);
      probes.set(name, p);
    }
    return p;
  };
  const ask = (problem: string | undefined, preferred: string) =>
    io.asker.ask({
      kind: 'select',
      ...aboutOption('context'),
      ...(options.message ? { message: options.message } : {}),
      problem,
      choices: contexts.map((c) => ({
        value: c.name,
        label: c.name,
        hint: `${c.server}${c.namespace ? ` · ns ${c.namespace}` : ''}${c.current ? ' · current' : ''} · probing…`,
      })),
      default: preferred,
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

  if (wanted === undefined) for (const c of contexts) void probe(c.name);
  let name = wanted ?? (await ask(undefined, (contexts.find((c) => c.current) ?? contexts[0]!).name));
  for (;;) {
    const result = await probe(name);
    const chosen = contexts.find((c) => c.name === name)!;
    if (result.ok || options.acceptUnreachable) return { context: chosen, probe: result };
    const failure = probeFailureMessage(name, result);
    if (io.asker.cannotAsk !== undefined) throw failure;
    // Picked again, it is probed again (the VPN may be up now); the default moves to one that answered.
    probes.delete(name);
    const answered = await firstReachable(
      contexts.filter((c) => c.name !== name).map((c) => c.name),
      probe,
    );
    name = await ask(`${failure.message}${failure.hint ? ` — ${failure.hint}` : ''}`, answered ?? name);
  }
}
