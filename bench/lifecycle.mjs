// Bench 5, lifecycle (issue 13):
// (a) `status --all-contexts` over the scale bench's 50 contexts (half accept and never answer, half refuse):
//     the whole command must end within one probe timeout of the same command over one context that refuses
//     at once, not 25 timeouts. No cluster needed.
// (b) `upgrade --yes` of a changed proxy (get values, template + diff, helm upgrade, Ready, connected) beside a
//     bare `helm upgrade --reuse-values --set … --wait` of the same change on the same cluster, alternated
//     (--set replaces a whole list, so the bare side sets the entry's name as well as its value).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildHarness } from './lib/build-harness.mjs';
import { NODE, budget, median, paths, round, run, skipped, sleep } from './lib/util.mjs';
import { clusterUp, e2eTools, sandbox, startGitLab, timed } from './readiness.mjs';
import { blackHole, writeKubeconfig } from './scale.mjs';

const PROBE_TIMEOUT_MS = 4000; // the real ports' default (src/core/flows/status/look.ts)
const BUDGETS = [
  ['status: 50 contexts, half never answering / one refusing context + one probe timeout', 1.1, '×'],
  ['upgrade: CLI upgrade --yes / helm upgrade --wait', 1.0, '×'],
];

/** One refusing context: what status costs without waiting on any probe (node, client-node, one refusal). */
function oneContextKubeconfig(file) {
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:2', 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'bench-token' } }],
      contexts: [{ name: 'ctx-00', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx-00',
    }),
  );
}

async function statusPart(work, runs, log) {
  const hole = await blackHole();
  try {
    const many = join(work, 'kubeconfig-50.yaml');
    const one = join(work, 'kubeconfig-1.yaml');
    writeKubeconfig(many, hole.port);
    oneContextKubeconfig(one);
    const env = (kubeconfig) => ({ PATH: process.env.PATH, HOME: join(work, 'home'), LANG: 'C.UTF-8', KUBECONFIG: kubeconfig });
    const walls = { many: [], one: [] };
    for (let i = 0; i < runs + 1; i++) {
      for (const which of i % 2 === 0 ? ['many', 'one'] : ['one', 'many']) {
        const res = await timed(
          [NODE, paths.cli, 'status', '--yes', '--all-contexts', '--output', 'json'],
          env(which === 'many' ? many : one),
        );
        const doc = JSON.parse(res.stdout || '{}');
        const unreachable = (doc.contexts ?? []).filter((c) => !c.reachable).length;
        if (unreachable !== (which === 'many' ? 50 : 1))
          throw new Error(`status over ${which} saw ${unreachable} unreachable contexts:\n${res.stderr.slice(-800)}`);
        if (i > 0) walls[which].push(res.ms);
      }
      if (i > 0)
        log(`status round ${i}/${runs}: 50 contexts ${round(walls.many.at(-1), 0)} ms, 1 context ${round(walls.one.at(-1), 0)} ms`);
    }
    return walls;
  } finally {
    hole.close();
  }
}

async function upgradePart(work, runs, log) {
  const cluster = await clusterUp(`glat-bench-lc-${process.pid}`, log);
  if (cluster.reason) return { reason: cluster.reason };
  try {
    const tools = await e2eTools();
    const helmBin = tools.helm3;
    const context = 'e2e-admin';
    const gitlab = await startGitLab(await buildHarness('gitlab'), { GLAT_BENCH_RECONNECT_MS: '1000' });
    try {
      const id = process.pid % 10000;
      const agent = `bench-up-${id}`;
      const cliNs = `gitlab-agent-${agent}`;
      const helmRelease = `bench-helm-${id}`;
      const helmNs = `bench-helm-${id}`;
      const env = sandbox(work, 'upgrade', helmBin, tools.kubectl, cluster.kubeconfig);
      const common = [
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
      ];
      const setup = await timed(
        [
          NODE,
          paths.cli,
          'install',
          '--yes',
          '--project',
          'group/app',
          '--agent',
          agent,
          '--https-proxy',
          'http://proxy-0.internal:3128',
          ...common,
        ],
        { ...env, GITLAB_TOKEN: gitlab.pat },
      );
      if (setup.code !== 0) throw new Error(`install exited ${setup.code}: ${setup.stderr.slice(-4000)}`);
      const base = await run(
        helmBin,
        [
          'upgrade',
          '--install',
          helmRelease,
          'gitlab-agent',
          '--repo',
          cluster.chartRepo,
          '--namespace',
          helmNs,
          '--create-namespace',
          '--kube-context',
          context,
          '--set',
          'config.token=glagent-bench-token',
          '--set',
          'config.kasAddress=wss://kas.example.invalid',
          '--set',
          'extraEnv[0].name=HTTPS_PROXY',
          '--set',
          'extraEnv[0].value=http://proxy-0.internal:3128',
          '--wait',
          '--timeout',
          '90s',
        ],
        { env, timeoutMs: 120_000 },
      );
      if (base.code !== 0) throw new Error(`helm install exited ${base.code}: ${base.stderr.slice(-800)}`);
      const cli = [];
      const bare = [];
      const one = async (which, proxy) => {
        const argv =
          which === 'cli'
            ? [NODE, paths.cli, 'upgrade', '--yes', '--release', agent, '--namespace', cliNs, '--https-proxy', proxy, ...common]
            : [
                helmBin,
                'upgrade',
                helmRelease,
                'gitlab-agent',
                '--repo',
                cluster.chartRepo,
                '--namespace',
                helmNs,
                '--kube-context',
                context,
                '--reuse-values',
                '--set',
                'extraEnv[0].name=HTTPS_PROXY',
                '--set',
                `extraEnv[0].value=${proxy}`,
                '--wait',
                '--timeout',
                '90s',
              ];
        const res = await timed(argv, which === 'cli' ? { ...env, GITLAB_TOKEN: gitlab.pat } : env);
        if (res.code !== 0) throw new Error(`${which} upgrade exited ${res.code}:\n${res.stdout}\n${res.stderr}`.slice(0, 2000));
        return res;
      };
      // One unscored round (helm's and the chart's caches), then alternated.
      await one('cli', 'http://proxy-w.internal:3128');
      await one('helm', 'http://proxy-w.internal:3128');
      for (let i = 0; i < runs; i++) {
        const proxy = `http://proxy-${i + 1}.internal:3128`;
        for (const which of i % 2 === 0 ? ['cli', 'helm'] : ['helm', 'cli']) {
          (which === 'cli' ? cli : bare).push(await one(which, proxy));
          await sleep(500);
        }
        log(`upgrade round ${i + 1}/${runs}: CLI ${round(cli.at(-1).ms, 0)} ms, helm --wait ${round(bare.at(-1).ms, 0)} ms`);
      }
      await run(helmBin, ['uninstall', agent, '--namespace', cliNs, '--kube-context', context], { env, timeoutMs: 60_000 });
      await run(helmBin, ['uninstall', helmRelease, '--namespace', helmNs, '--kube-context', context], { env, timeoutMs: 60_000 });
      cluster.ok = true;
      return { cli, bare };
    } finally {
      gitlab.close();
    }
  } finally {
    log('lifecycle: stopping control plane');
    await cluster.down().catch(() => {});
    if (cluster.ok) cluster.forgetLogs();
  }
}

export async function runLifecycle({ statusRuns = 3, upgradeRuns = 3, log = () => {} } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'glat-bench-lifecycle-'));
  try {
    const walls = await statusPart(work, statusRuns, log);
    const many = median(walls.many);
    const one = median(walls.one);
    const statusRatio = many / (one + PROBE_TIMEOUT_MS);
    const up = await upgradePart(work, upgradeRuns, log);
    const statusBudget = budget(
      BUDGETS[0][0],
      statusRatio,
      1.1,
      '×',
      `medians of ${statusRuns} alternated runs: ${round(many, 0)} ms (worst ${round(Math.max(...walls.many), 0)}) vs ${round(one, 0)} ms + the ${PROBE_TIMEOUT_MS} ms timeout`,
    );
    if (up.reason) {
      const s = skipped('lifecycle', up.reason, BUDGETS);
      return {
        ...s,
        budgets: [statusBudget, s.budgets[1]],
        figures: {
          status_50_contexts_ms: { median: round(many), samples: walls.many.map((x) => round(x)) },
          status_1_context_ms: { median: round(one) },
        },
      };
    }
    const cliMed = median(up.cli.map((x) => x.ms));
    const helmMed = median(up.bare.map((x) => x.ms));
    return {
      bench: 'lifecycle',
      figures: {
        status_50_contexts_ms: { median: round(many), samples: walls.many.map((x) => round(x)) },
        status_1_context_ms: { median: round(one), samples: walls.one.map((x) => round(x)) },
        probe_timeout_ms: PROBE_TIMEOUT_MS,
        upgrade_cli_ms: {
          median: round(cliMed),
          samples: up.cli.map((x) => round(x.ms)),
          steps_of_median_run: [...up.cli].sort((a, b) => a.ms - b.ms)[Math.floor(up.cli.length / 2)]?.steps,
        },
        upgrade_helm_wait_ms: { median: round(helmMed), samples: up.bare.map((x) => round(x.ms)) },
      },
      budgets: [
        statusBudget,
        budget(
          BUDGETS[1][0],
          cliMed / helmMed,
          1.0,
          '×',
          `medians of ${upgradeRuns} alternated runs: ${round(cliMed, 0)} ms vs ${round(helmMed, 0)} ms (helm 3, a changed HTTPS_PROXY each round)`,
        ),
      ],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
