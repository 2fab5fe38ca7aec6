// Bench 7, troubleshoot (issue 12): on a private control plane, one broken install (agentk crash-looping with
// agentk's "Unauthenticated" line in its previous container's log, left as the failed install left it). Each round:
// the CLI's full diagnosis, `troubleshoot --output json` (discovery, helm, the Deployment, pods, events, the token
// Secret's metadata, current and previous logs, Flux discovery, GitLab, the checks from this machine, the rules),
// beside the kubectl commands a person runs for the same evidence, one after the other: get and describe of the
// Deployment and the pods, logs and logs --previous, the namespace's events. Alternated after one unscored round.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHarness } from './lib/build-harness.mjs';
import { NODE, budget, median, paths, round, run, skipped, sleep } from './lib/util.mjs';
import { clusterUp, e2eTools, sandbox, startGitLab, timed } from './readiness.mjs';

const BUDGETS = [['troubleshoot: full diagnosis / the kubectl commands for the same evidence', 1.0, '×']];

export async function runTroubleshoot({ runs = 5, log = () => {} } = {}) {
  const cluster = await clusterUp(`glat-bench-ts-${process.pid}`, log);
  if (cluster.reason) return skipped('troubleshoot', cluster.reason, BUDGETS);
  const work = mkdtempSync(join(tmpdir(), 'glat-bench-troubleshoot-'));
  try {
    const tools = await e2eTools();
    const context = 'e2e-admin';
    const gitlab = await startGitLab(await buildHarness('gitlab'));
    try {
      const agent = `bench-ts-${process.pid % 10000}`;
      const ns = `gitlab-agent-${agent}`;
      const env = sandbox(work, 'troubleshoot', tools.helm3, tools.kubectl, cluster.kubeconfig);
      const values = join(work, 'crashloop.yaml');
      writeFileSync(values, 'podAnnotations:\n  e2e.test/crashloop: "true"\n');
      log('troubleshoot: installing one agent that crash-loops (the install fails, as it should)');
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
          '--context',
          context,
          '--gitlab-url',
          gitlab.url,
          '--chart-repo',
          cluster.chartRepo,
          '--values',
          values,
          '--timeout',
          '40s',
          '--connect-timeout',
          '20s',
        ],
        { ...env, GITLAB_TOKEN: gitlab.pat },
      );
      if (setup.code !== 1) throw new Error(`the crash-looping install exited ${setup.code}, not 1: ${setup.stderr.slice(-800)}`);
      const deployment = (
        await run(tools.kubectl, ['--context', context, 'get', 'deploy', '-n', ns, '-o', 'jsonpath={.items[0].metadata.name}'], { env })
      ).stdout.trim();
      if (!deployment) throw new Error(`no Deployment in ${ns}`);
      // Wait until the kubelet (kwok) has restarted agentk at least once: there is a previous container to read.
      for (let i = 0; i < 60; i++) {
        const restarts = (
          await run(
            tools.kubectl,
            ['--context', context, 'get', 'pods', '-n', ns, '-o', 'jsonpath={.items[*].status.containerStatuses[*].restartCount}'],
            { env },
          )
        ).stdout;
        if (restarts.split(/\s+/).some((n) => Number(n) > 0)) break;
        await sleep(1000);
      }
      const k = (...a) => [tools.kubectl, '--context', context, '-n', ns, ...a];
      const person = [
        k('get', 'deploy', deployment, '-o', 'yaml'),
        k('describe', 'deploy', deployment),
        k('get', 'pods', '-o', 'yaml'),
        k('describe', 'pods'),
        k('logs', `deploy/${deployment}`, '--tail=200'),
        k('logs', `deploy/${deployment}`, '--previous', '--tail=200'),
        k('get', 'events', '--sort-by=.lastTimestamp'),
      ];
      const cliArgv = [
        NODE,
        paths.cli,
        'troubleshoot',
        '--context',
        context,
        '--namespace',
        ns,
        '--release',
        agent,
        '--gitlab-url',
        gitlab.url,
        '--output',
        'json',
      ];
      const cli = [];
      const bare = [];
      const one = async (which) => {
        if (which === 'cli') {
          const res = await timed(cliArgv, { ...env, GITLAB_TOKEN: gitlab.pat });
          const doc = JSON.parse(res.stdout || '{}');
          const category = doc.installs?.[0]?.rootCause?.category;
          if (res.code !== 1 || !category)
            throw new Error(`troubleshoot exited ${res.code} (root cause ${category}):\n${res.stderr.slice(-1500)}`);
          return { ms: res.ms, category, steps: res.steps };
        }
        let ms = 0;
        const each = [];
        for (const argv of person) {
          const res = await timed(argv, env);
          // logs --previous of a pod that has not restarted yet may fail; a person would have run it anyway.
          if (res.code !== 0 && !argv.includes('--previous'))
            throw new Error(`${argv.slice(3).join(' ')} exited ${res.code}: ${res.stderr.slice(-400)}`);
          ms += res.ms;
          each.push(round(res.ms, 0));
        }
        return { ms, each };
      };
      // One unscored round (caches, kwok's first restarts), then alternated.
      await one('cli');
      await one('kubectl');
      for (let i = 0; i < runs; i++) {
        for (const which of i % 2 === 0 ? ['cli', 'kubectl'] : ['kubectl', 'cli']) {
          (which === 'cli' ? cli : bare).push(await one(which));
          await sleep(200);
        }
        log(
          `troubleshoot round ${i + 1}/${runs}: CLI ${round(cli.at(-1).ms, 0)} ms (${cli.at(-1).category}), 7 kubectl commands ${round(bare.at(-1).ms, 0)} ms`,
        );
        log(
          `  CLI steps: ${cli
            .at(-1)
            .steps.map((s) => `${s.step} @${round(s.atMs, 0)}`)
            .join(' · ')}`,
        );
        log(`  kubectl: ${bare.at(-1).each.join(' + ')} ms`);
      }
      await run(tools.helm3, ['uninstall', agent, '--namespace', ns, '--kube-context', context], { env, timeoutMs: 60_000 });
      cluster.ok = true;
      const cliMed = median(cli.map((x) => x.ms));
      const kMed = median(bare.map((x) => x.ms));
      return {
        bench: 'troubleshoot',
        figures: {
          troubleshoot_cli_ms: {
            median: round(cliMed),
            samples: cli.map((x) => round(x.ms)),
            root_cause: cli[0]?.category,
            steps_of_median_run: [...cli].sort((a, b) => a.ms - b.ms)[Math.floor(cli.length / 2)]?.steps,
          },
          kubectl_commands_ms: {
            median: round(kMed),
            samples: bare.map((x) => round(x.ms)),
            per_command_of_first_run: bare[0]?.each,
            commands: person.map((a) => `kubectl ${a.slice(3).join(' ')}`),
          },
        },
        budgets: [
          budget(
            BUDGETS[0][0],
            cliMed / kMed,
            1.0,
            '×',
            `medians of ${runs} alternated runs: ${round(cliMed, 0)} ms vs ${round(kMed, 0)} ms for 7 kubectl commands back to back`,
          ),
        ],
      };
    } finally {
      gitlab.close();
    }
  } finally {
    log('troubleshoot: stopping control plane');
    await cluster.down().catch(() => {});
    if (cluster.ok) cluster.forgetLogs();
    rmSync(work, { recursive: true, force: true });
  }
}
