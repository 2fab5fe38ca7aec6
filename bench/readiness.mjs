// Bench 3, on the real control plane (test/e2e/cluster, kwok): (a) readiness latency, from a pod's Ready
// condition being written to our kube adapter's watchReadiness reporting Ready (bench/harness/readiness.ts);
// (b) the whole CLI install (`install --yes`: register in a fake GitLab, token Secret, helm, Ready, connected)
// beside a bare `helm upgrade --install --wait` of the same chart on the same cluster, alternated.
// Without the control plane it reports "skipped" and every budget as SKIP.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildHarness } from './lib/build-harness.mjs';
import { NODE, ROOT, budget, median, nowMs, paths, percentile, round, run, skipped, sleep } from './lib/util.mjs';

const CLUSTER_SH = join(ROOT, 'test', 'e2e', 'cluster', 'cluster.sh');
const VERSIONS_SH = join(ROOT, 'test', 'e2e', 'cluster', 'versions.sh');
const BUDGETS = [
  ['readiness: pod Ready written → adapter Ready, p95', 500, 'ms'],
  ['install: CLI install --yes / helm --wait', 1.0, '×'],
];

/** Tool paths from the e2e cache (test/e2e/cluster/versions.sh). */
export async function e2eTools() {
  const r = await run('bash', [
    '-c',
    `source ${JSON.stringify(VERSIONS_SH)}; echo "$HELM3_BIN_DIR/helm"; echo "$HELM4_BIN_DIR/helm"; echo "$K8S_BIN_DIR/kubectl"`,
  ]);
  const [helm3, helm4, kubectl] = r.stdout.trim().split('\n');
  return { helm3, helm4, kubectl };
}

/** Brings up a private cluster (own name, random ports); resolves { kubeconfig, chartRepo, down() } or { reason }. */
export async function clusterUp(name, log) {
  if (!existsSync(CLUSTER_SH)) return { reason: 'control plane not available (test/e2e/cluster/cluster.sh missing)' };
  const env = { ...process.env, GLAT_E2E_CLUSTER: name };
  log(`readiness: starting control plane ${name} (cluster.sh up)`);
  const up = await run('bash', [CLUSTER_SH, 'up'], { env, timeoutMs: 120_000 });
  // Also on a crash of the bench itself: the control plane must not outlive it.
  const onExit = () => spawnSync('bash', [CLUSTER_SH, 'down'], { env, stdio: 'ignore', timeout: 60_000 });
  process.once('exit', onExit);
  const down = async () => {
    process.removeListener('exit', onExit);
    return run('bash', [CLUSTER_SH, 'down'], { env, timeoutMs: 60_000 });
  };
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(up.stdout)?.[1];
  const chartRepo = /export GITLAB_AGENT_CHART_REPO=(\S+)/.exec(up.stdout)?.[1];
  if (up.code !== 0 || !kubeconfig || !chartRepo) {
    await down().catch(() => {});
    const why = up.stderr.trim().split('\n').slice(-2).join(' / ');
    return { reason: `control plane not available (cluster.sh up exited ${up.code}: ${why})` };
  }
  // cluster.sh down keeps the logs in <run dir>.last-logs: useful after a failure, clutter after a good run.
  const logs = `${dirname(kubeconfig)}.last-logs`;
  return { kubeconfig, chartRepo, down, forgetLogs: () => rmSync(logs, { recursive: true, force: true }) };
}

/** Like test/e2e/support/sandbox.ts: fresh HOME, TMPDIR and helm dirs; `helm` first on PATH. */
export function sandbox(root, label, helmBin, kubectl, kubeconfig) {
  const dir = (...parts) => {
    const path = join(root, label, ...parts);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const bin = dir('bin');
  symlinkSync(helmBin, join(bin, 'helm'));
  return {
    PATH: [bin, dirname(kubectl), dirname(NODE), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: dir('home'),
    TMPDIR: dir('tmp'),
    LANG: 'C.UTF-8',
    HELM_CACHE_HOME: dir('helm', 'cache'),
    HELM_CONFIG_HOME: dir('helm', 'config'),
    HELM_DATA_HOME: dir('helm', 'data'),
    KUBECONFIG: kubeconfig,
  };
}

/** Runs argv to exit; also timestamps every stderr line that marks a finished step ("✓ Title: …"). */
export function timed(argv, env) {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const steps = [];
    let partial = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      const at = nowMs();
      stderr += d;
      const lines = (partial + d).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        const m = /^✓ ([^:]+)/.exec(line);
        if (m) steps.push({ step: m[1].trim(), atMs: round(at - started) });
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: nowMs() - started, steps, stdout, stderr });
    });
  });
}

export async function startGitLab(harness, extraEnv = {}) {
  const child = spawn(NODE, [harness], {
    env: { ...process.env, GLAT_BENCH_CONNECT_AFTER_MS: '200', ...extraEnv },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`fake GitLab exited ${code}`)));
  });
  return { ...JSON.parse(line), close: () => child.stdin.end() };
}

export async function runReadiness({ samples = 10, installRuns = 3, helmMajor = 3, log = () => {} } = {}) {
  const name = `glat-bench-${process.pid}`;
  const cluster = await clusterUp(name, log);
  if (cluster.reason) return skipped('readiness', cluster.reason, BUDGETS);
  const work = mkdtempSync(join(tmpdir(), 'glat-bench-readiness-'));
  try {
    const tools = await e2eTools();
    const helmBin = helmMajor === 4 ? tools.helm4 : tools.helm3;
    const context = 'e2e-admin';

    // (a) readiness latency
    const harness = await buildHarness('readiness');
    const out = join(work, 'readiness.json');
    log(`readiness: ${samples} Deployments, each pod made Ready by kwok 2 s after creation`);
    const r = await run(NODE, [harness], {
      env: {
        ...process.env,
        GLAT_BENCH_OUT: out,
        GLAT_BENCH_KUBECONFIG: cluster.kubeconfig,
        GLAT_BENCH_CONTEXT: context,
        GLAT_BENCH_SAMPLES: String(samples),
      },
      timeoutMs: 60_000 + samples * 35_000,
    });
    if (r.code !== 0 || !existsSync(out)) throw new Error(`readiness harness exited ${r.code}: ${r.stderr.slice(-800)}`);
    const rs = JSON.parse(readFileSync(out, 'utf8')).samples;
    const good = rs.filter((s) => !s.error && s.adapterVerdict && s.podReadyWritten);
    const verdictLag = good.map((s) => s.adapterVerdict - s.podReadyWritten);
    const podLag = good.filter((s) => s.adapterPodReady).map((s) => s.adapterPodReady - s.podReadyWritten);
    const controllerLag = good.filter((s) => s.deployReadyWritten).map((s) => s.deployReadyWritten - s.podReadyWritten);
    const adapterDeployLag = good.filter((s) => s.deployReadyWritten).map((s) => s.adapterVerdict - s.deployReadyWritten);
    const failed = rs.filter((s) => s.error).map((s) => s.error);
    // A sample that never got a verdict counts as infinitely late.
    const p95 = percentile([...verdictLag, ...failed.map(() => Infinity)], 95);

    // (b) whole install vs bare helm --wait
    const gitlab = await startGitLab(await buildHarness('gitlab'));
    const cli = [];
    const bare = [];
    try {
      const one = async (which, i) => {
        const label = `${which}-${i}`;
        const agent = `bench-${which}-${i}-${process.pid % 10000}`;
        const env = sandbox(work, label, helmBin, tools.kubectl, cluster.kubeconfig);
        const namespace = which === 'cli' ? `gitlab-agent-${agent}` : `bench-helm-${i}-${process.pid % 10000}`;
        const release = agent;
        const argv =
          which === 'cli'
            ? [
                NODE,
                paths.cli,
                'install',
                '--yes',
                '--project',
                'group/app',
                '--agent',
                agent,
                '--context',
                context,
                '--gitlab-url',
                gitlab.url,
                '--chart-repo',
                cluster.chartRepo,
                '--timeout',
                '90s',
                '--connect-timeout',
                '60s',
              ]
            : [
                helmBin,
                'upgrade',
                '--install',
                release,
                'gitlab-agent',
                '--repo',
                cluster.chartRepo,
                '--namespace',
                namespace,
                '--create-namespace',
                '--kube-context',
                context,
                '--set',
                'config.token=glagent-bench-token',
                '--set',
                'config.kasAddress=wss://kas.example.invalid',
                '--wait',
                '--timeout',
                '90s',
              ];
        const res = await timed(argv, which === 'cli' ? { ...env, GITLAB_TOKEN: gitlab.pat } : env);
        if (res.code !== 0) throw new Error(`${which} install exited ${res.code}:\n${res.stdout}\n${res.stderr}`.slice(0, 2000));
        // Clean up before the next run: the release (and its ClusterRoleBinding), then the namespace.
        await run(helmBin, ['uninstall', release, '--namespace', namespace, '--kube-context', context], { env, timeoutMs: 60_000 });
        await run(tools.kubectl, ['--context', context, 'delete', 'namespace', namespace, '--wait=false'], { env, timeoutMs: 30_000 });
        return res;
      };
      // One of each first, unscored (helm's first start, page cache), then alternated.
      await one('cli', 'w');
      await one('helm', 'w');
      for (let i = 0; i < installRuns; i++) {
        const order = i % 2 === 0 ? ['cli', 'helm'] : ['helm', 'cli'];
        for (const which of order) {
          const res = await one(which, i);
          (which === 'cli' ? cli : bare).push(res);
          await sleep(500);
        }
        log(`install round ${i + 1}/${installRuns}: CLI ${round(cli.at(-1).ms, 0)} ms, helm --wait ${round(bare.at(-1).ms, 0)} ms`);
      }
    } finally {
      gitlab.close();
    }
    const cliMed = median(cli.map((x) => x.ms));
    const helmMed = median(bare.map((x) => x.ms));
    cluster.ok = true;
    return {
      bench: 'readiness',
      figures: {
        readiness_samples: rs.length,
        readiness_failed: failed,
        pod_ready_to_adapter_verdict_ms: {
          p50: round(percentile(verdictLag, 50)),
          p95: round(p95),
          max: round(Math.max(...verdictLag)),
          what: "reference watch sees the pod's Ready=True → diagnoseReadiness over our watch's snapshot says ready",
        },
        pod_ready_to_adapter_pod_ready_ms: {
          p50: round(percentile(podLag, 50)),
          p95: round(percentile(podLag, 95)),
          what: 'same start → our snapshot shows the pod ready',
        },
        pod_ready_to_deployment_ready_ms: {
          p50: round(percentile(controllerLag, 50)),
          p95: round(percentile(controllerLag, 95)),
          what: 'controller-manager: pod Ready → Deployment readyReplicas (reference watch)',
        },
        deployment_ready_to_adapter_verdict_ms: {
          p50: round(percentile(adapterDeployLag, 50)),
          p95: round(percentile(adapterDeployLag, 95)),
          what: 'our share: Deployment ready written → our verdict',
        },
        install_cli_ms: {
          median: round(cliMed),
          samples: cli.map((x) => round(x.ms)),
          steps_of_median_run: [...cli].sort((a, b) => a.ms - b.ms)[Math.floor(cli.length / 2)]?.steps,
        },
        install_helm_wait_ms: { median: round(helmMed), samples: bare.map((x) => round(x.ms)) },
        install_ratio: round(cliMed / helmMed, 2),
        helm: helmBin,
      },
      budgets: [
        budget(
          BUDGETS[0][0],
          p95,
          500,
          'ms',
          `${good.length} Deployments on kwok (${failed.length} failed), reference = plain client-node Watch`,
        ),
        budget(
          BUDGETS[1][0],
          cliMed / helmMed,
          1.0,
          '×',
          `medians of ${installRuns} alternated runs: ${round(cliMed, 0)} ms vs ${round(helmMed, 0)} ms (helm ${helmMajor}, chart from the local repo)`,
        ),
      ],
    };
  } finally {
    log('readiness: stopping control plane');
    await cluster.down().catch(() => {});
    if (cluster.ok) cluster.forgetLogs();
    rmSync(work, { recursive: true, force: true });
  }
}
