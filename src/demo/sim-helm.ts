import { releaseInfo } from './release-list.js';
import { CancelledError, FlowError } from '../core/kernel/errors.js';
import type { HelmCaptureResult, HelmPort, HelmRelease, HelmReleaseRef, HelmRun, HelmRunResult, HelmTarget } from '../core/ports/helm.js';
import type { DemoHelmRun } from './faults.js';
import { renderManifest } from './manifest.js';
import { parseHelmArgs, type HelmCommand, type HelmUpgradeCommand } from './helm-args.js';
import { upgradeTranscript, type HelmLine } from './helm-output.js';
import {
  CHART_DEFAULTS,
  DEMO_CHART,
  DEMO_CHART_REPO,
  DEMO_CHART_VERSIONS,
  applySet,
  mergeValues,
  parseValuesYaml,
  type Values,
} from './release-values.js';
import { normalizeFilePath } from './sim-files.js';
import { currentRevision, findRelease, type DemoCluster, type DemoRevision, type DemoWorld } from './world.js';

const DEMO_HELM_VERSION = 'v3.21.4';

/** Demo ms helm spends preparing (history, chart download, render) and then reporting. */
const PREPARE_MS = 850;
const REPORT_MS = 650;
const STDERR_TAIL = 20;

/** Helm's message when the API server cannot be reached. */
function unreachable(c: DemoCluster): string {
  const host = new URL(c.info.server).host;
  return `Kubernetes cluster unreachable: Get "${c.info.server}/version": dial tcp ${host}: connect: connection refused`;
}

/** The user's values in helm's order: each -f (stdin for "-"), then each --set. Throws helm's error text. */
function userValues(world: DemoWorld, cmd: HelmUpgradeCommand, stdin: string | undefined): Values {
  let values: Values = {};
  for (const file of cmd.valuesFiles) {
    const text = file === '-' ? (stdin ?? '') : world.files.get(normalizeFilePath(file));
    if (text === undefined) throw new Error(`open ${file}: no such file or directory`);
    values = mergeValues(values, parseValuesYaml(text, file === '-' ? '<stdin>' : file));
  }
  for (const set of cmd.sets) values = applySet(values, set);
  for (const set of cmd.setStrings) values = applySet(values, set, true);
  return values;
}

/** Why the simulated chart cannot be fetched, or undefined when it can. */
function chartProblem(cmd: HelmUpgradeCommand): string | undefined {
  if (cmd.repo !== undefined && cmd.repo.replace(/\/+$/, '') !== DEMO_CHART_REPO) {
    const host = URL.canParse(cmd.repo) ? new URL(cmd.repo).host : cmd.repo;
    return `looks like "${cmd.repo}" is not a valid chart repository or cannot be reached: Get "${cmd.repo.replace(/\/+$/, '')}/index.yaml": dial tcp: lookup ${host}: no such host`;
  }
  const version = cmd.version?.replace(/^v/, '');
  if (version !== undefined && !(DEMO_CHART_VERSIONS as readonly string[]).includes(version)) {
    return `chart "${cmd.chart}" version "${cmd.version}" not found in ${cmd.repo ?? DEMO_CHART_REPO} repository`;
  }
  return undefined;
}

/** DemoFaults.onHelm: helm waits for the test's hook; Ctrl-C (the run's signal) still stops it. */
async function helmHook(world: DemoWorld, recorded: DemoHelmRun, signal: AbortSignal): Promise<void> {
  const hook = world.faults.onHelm;
  if (!hook) return;
  const waiting = Promise.resolve(hook(recorded));
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
  if (signal.aborted) throw new CancelledError();
}

async function upgrade(
  world: DemoWorld,
  c: DemoCluster,
  cmd: HelmUpgradeCommand,
  run: HelmRun,
  recorded: DemoHelmRun,
  emit: (l: HelmLine) => void,
): Promise<string | undefined> {
  const { time } = world;
  const existing = findRelease(c, cmd.namespace, cmd.release);
  const last = existing && currentRevision(existing);
  if (!existing && !cmd.install) return `UPGRADE FAILED: "${cmd.release}" has no deployed releases`;
  if (last?.status.startsWith('pending-')) return 'UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress';
  if (!c.namespaces.has(cmd.namespace)) return `create: failed to create: namespaces "${cmd.namespace}" not found`;
  const problem = chartProblem(cmd);
  if (problem) return problem;
  let user: Values;
  try {
    user = userValues(world, cmd, run.stdin);
  } catch (err) {
    return (err as Error).message;
  }
  const computed = mergeValues(CHART_DEFAULTS, user);
  const chartVersion = cmd.version?.replace(/^v/, '') ?? DEMO_CHART.version;
  const revision = (last?.revision ?? 0) + 1;
  const transcript = upgradeTranscript({
    release: cmd.release,
    namespace: cmd.namespace,
    revision,
    installing: !existing,
    chartVersion: cmd.version,
    userValues: user,
    computedValues: computed,
    deployedAt: new Date(),
  });

  for (const line of transcript.before) {
    emit(line);
    await time.sleep(PREPARE_MS / transcript.before.length, run.signal);
  }
  await helmHook(world, recorded, run.signal);
  if (world.faults.helmError !== undefined) return world.faults.helmError;
  // Objects created: pods start from here. A cancel after this leaves the release pending, as helm does.
  const rev: DemoRevision = {
    revision,
    deployedAt: time.now(),
    values: computed,
    userValues: user,
    status: existing ? 'pending-upgrade' : 'pending-install',
    chartVersion,
    appVersion: DEMO_CHART.appVersion,
    ...(world.faults.podFailure ? { podFailure: world.faults.podFailure } : {}),
  };
  if (existing) existing.revisions.push(rev);
  else c.releases.push({ name: cmd.release, namespace: cmd.namespace, revisions: [rev] });
  world.changed();
  for (const line of transcript.after) {
    emit(line);
    await time.sleep(REPORT_MS / transcript.after.length, run.signal);
  }
  rev.status = 'deployed';
  return undefined;
}

/** `helm` as a process: output streamed line by line, exit code 1 with "Error: …" last on stderr. */
async function runHelm(world: DemoWorld, run: HelmRun): Promise<HelmRunResult> {
  const { time } = world;
  const recorded: DemoHelmRun = { args: [...run.args], stdin: run.stdin };
  world.record.helm.push(recorded);
  if (run.signal.aborted) throw new CancelledError();
  const stderrTail: string[] = [];
  const emit = (l: HelmLine) => {
    if (l.stream === 'stderr') stderrTail.push(l.line);
    if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
    run.onLine(l.line, l.stream);
  };
  const fail = (message: string): HelmRunResult => {
    emit({ line: `Error: ${message}`, stream: 'stderr' });
    return { exitCode: 1, stderrTail: [...stderrTail] };
  };
  // Process start-up and plugin loading.
  await time.jitter(120, 250, run.signal);
  let cmd: HelmCommand;
  try {
    cmd = parseHelmArgs(run.args);
  } catch (err) {
    return fail((err as Error).message);
  }
  const contextName = cmd.context ?? [...world.clusters.values()].find((c) => c.info.current)?.info.name ?? '';
  const c = world.clusters.get(contextName);
  if (!c) return fail(`Kubernetes cluster unreachable: context "${contextName}" does not exist`);
  if (c.unreachable) {
    await time.sleep(1500, run.signal);
    return fail(unreachable(c));
  }
  if (cmd.kind === 'uninstall') {
    await time.jitter(300, 600, run.signal);
    await helmHook(world, recorded, run.signal);
    const index = c.releases.findIndex((r) => r.namespace === cmd.namespace && r.name === cmd.release);
    if (index < 0) return fail(`uninstall: Release not loaded: ${cmd.release}: release: not found`);
    c.releases.splice(index, 1);
    world.changed();
    emit({ line: `release "${cmd.release}" uninstalled`, stream: 'stdout' });
    return { exitCode: 0, stderrTail };
  }
  if (cmd.kind === 'rollback') {
    await time.jitter(300, 600, run.signal);
    await helmHook(world, recorded, run.signal);
    const r = findRelease(c, cmd.namespace, cmd.release);
    if (!r) return fail(`release: not found`);
    const target = cmd.revision !== undefined ? r.revisions.find((rev) => rev.revision === cmd.revision) : r.revisions.at(-2);
    if (!target) return fail(`release has no ${cmd.revision ?? 'previous'} version`);
    // A rollback is a new revision with the old one's chart and values; the pods roll again.
    r.revisions.push({ ...target, revision: currentRevision(r).revision + 1, deployedAt: time.now(), status: 'deployed' });
    world.changed();
    emit({ line: 'Rollback was a success! Happy Helming!', stream: 'stdout' });
    return { exitCode: 0, stderrTail };
  }
  const problem = await upgrade(world, c, cmd, run, recorded, emit);
  return problem ? fail(problem) : { exitCode: 0, stderrTail };
}

/** helm, simulated: reads and writes releases in the demo world, so the cluster's pods follow. */
export function createSimHelm(world: DemoWorld): HelmPort {
  const { time } = world;
  const release = async (ref: HelmReleaseRef) => {
    await time.jitter(100, 250);
    const c = world.clusters.get(ref.context);
    if (!c || c.unreachable) throw new FlowError('helm', `helm failed: ${c ? unreachable(c) : `context "${ref.context}" does not exist`}`);
    const r = findRelease(c, ref.namespace, ref.release);
    if (!r) throw new FlowError('helm', `helm failed: release: not found`);
    return r;
  };
  return {
    version: async () => {
      await time.jitter(60, 150);
      return { version: DEMO_HELM_VERSION, major: 3 };
    },
    listReleases: async (target: HelmTarget, namespace?: string) => {
      await time.jitter(150, 400);
      const c = world.clusters.get(target.context);
      if (!c) throw new FlowError('helm', `helm list failed: Kubernetes cluster unreachable: context "${target.context}" does not exist`);
      if (c.unreachable) {
        await time.sleep(1500);
        throw new FlowError('helm', `helm list failed: ${unreachable(c)}`);
      }
      return releaseInfo(c, namespace);
    },
    getValues: async (ref) => currentRevision(await release(ref)).userValues ?? {},
    getManifest: async (ref) => renderManifest(ref.release, ref.namespace, currentRevision(await release(ref)).values),
    history: async (ref) =>
      (await release(ref)).revisions.map((rev) => ({
        revision: rev.revision,
        status: rev.status,
        chart: `${DEMO_CHART.name}-${rev.chartVersion}`,
        appVersion: rev.appVersion,
        updated: time.iso(rev.deployedAt),
        description: rev.revision === 1 ? 'Install complete' : 'Upgrade complete',
      })),
    run: (run) => runHelm(world, run),
    // Only what the flows capture today: a rendered chart for a release name and values on stdin.
    capture: async (run): Promise<HelmCaptureResult> => {
      await time.jitter(150, 300, run.signal);
      const [verb, name] = run.args;
      const namespace = run.args[run.args.indexOf('--namespace') + 1] ?? 'default';
      if (verb !== 'template' || !name)
        return { exitCode: 1, stdout: '', truncated: false, stderrTail: [`Error: unknown command "${verb}" for "helm" (simulated)`] };
      let values: Values;
      try {
        values = mergeValues(CHART_DEFAULTS, parseValuesYaml(run.stdin ?? '', '<stdin>'));
      } catch (err) {
        return { exitCode: 1, stdout: '', truncated: false, stderrTail: [`Error: ${(err as Error).message}`] };
      }
      return { exitCode: 0, stdout: renderManifest(name, namespace, values), truncated: false, stderrTail: [] };
    },
  };
}
