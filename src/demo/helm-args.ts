/** Reads a helm argv the way helm does, for the commands the simulated helm answers. */

export interface HelmUpgradeCommand {
  kind: 'upgrade';
  install: boolean;
  release: string;
  chart: string;
  namespace: string;
  context?: string;
  repo?: string;
  version?: string;
  /** In order; "-" is stdin. */
  valuesFiles: string[];
  sets: string[];
  /** --set-string: kept as text. */
  setStrings: string[];
}

interface HelmUninstallCommand {
  kind: 'uninstall';
  release: string;
  namespace: string;
  context?: string;
}

interface HelmRollbackCommand {
  kind: 'rollback';
  release: string;
  /** The revision to go back to; undefined = the previous one. */
  revision?: number;
  namespace: string;
  context?: string;
}

export type HelmCommand = HelmUpgradeCommand | HelmUninstallCommand | HelmRollbackCommand;

const WITH_VALUE = new Set([
  '--namespace',
  '-n',
  '--kube-context',
  '--kubeconfig',
  '--repo',
  '--version',
  '-f',
  '--values',
  '--set',
  '--set-string',
  '--timeout',
  '--output',
  '-o',
  '--max',
]);
const BOOLEAN = new Set(['--install', '--wait', '--atomic', '--debug', '--create-namespace', '--all', '--all-namespaces', '-A']);

/** Throws an Error worded like helm's own usage errors. */
export function parseHelmArgs(args: string[]): HelmCommand {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    let value: string;
    if (BOOLEAN.has(name)) value = 'true';
    else if (!WITH_VALUE.has(name)) throw new Error(`unknown flag: ${name}`);
    else if (eq > 0) value = arg.slice(eq + 1);
    else {
      const next = args[++i];
      if (next === undefined) throw new Error(`flag needs an argument: ${name}`);
      value = next;
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  const one = (...names: string[]) => names.map((n) => flags.get(n)?.at(-1)).find((v) => v !== undefined);
  const all = (...names: string[]) => names.flatMap((n) => flags.get(n) ?? []);
  const namespace = one('--namespace', '-n') ?? 'default';
  const context = one('--kube-context');
  const [command, ...rest] = positional;

  if (command === 'upgrade') {
    const [release, chart] = rest;
    if (!release || !chart) throw new Error(`"helm upgrade" requires 2 arguments\n\nUsage:  helm upgrade [RELEASE] [CHART] [flags]`);
    // Order across -f and --values is what counts; both spellings fill one list here.
    const valuesFiles: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-f' || a === '--values') valuesFiles.push(args[i + 1] ?? '');
      else if (a.startsWith('--values=')) valuesFiles.push(a.slice('--values='.length));
    }
    return {
      kind: 'upgrade',
      install: flags.has('--install'),
      release,
      chart,
      namespace,
      context,
      repo: one('--repo'),
      version: one('--version'),
      valuesFiles,
      sets: all('--set'),
      setStrings: all('--set-string'),
    };
  }
  if (command === 'uninstall') {
    const [release] = rest;
    if (!release) throw new Error('"helm uninstall" requires at least 1 argument\n\nUsage:  helm uninstall RELEASE_NAME [...] [flags]');
    return { kind: 'uninstall', release, namespace, context };
  }
  if (command === 'rollback') {
    const [release, revision] = rest;
    if (!release) throw new Error('"helm rollback" requires at least 1 argument\n\nUsage:  helm rollback <RELEASE> [REVISION] [flags]');
    return { kind: 'rollback', release, ...(revision !== undefined ? { revision: Number(revision) } : {}), namespace, context };
  }
  throw new Error(`unknown command "${command ?? ''}" for "helm"`);
}
