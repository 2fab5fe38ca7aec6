// Bench 5, on the real control plane with Flux's CRDs: how fast the Flux delivery's watch (our adapter's
// watchObjects, no polling) sees a HelmRelease turn Ready, beside `kubectl wait --for=condition=Ready`,
// which is what a person would run. Without the control plane it reports "skipped".
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHarness } from './lib/build-harness.mjs';
import { clusterUp, e2eTools } from './readiness.mjs';
import { NODE, ROOT, budget, percentile, round, run, skipped } from './lib/util.mjs';

const BUDGETS = [
  ['flux: HelmRelease Ready written → our watch, p95', 500, 'ms'],
  ['flux: our watch / kubectl wait, medians', 1.0, '×'],
];

export async function runFlux({ samples = 8, log = () => {} } = {}) {
  const cluster = await clusterUp(`glat-bench-flux-${process.pid}`, log);
  if (cluster.reason) return skipped('flux', cluster.reason, BUDGETS);
  const work = mkdtempSync(join(tmpdir(), 'glat-bench-flux-'));
  try {
    const { kubectl } = await e2eTools();
    const env = { ...process.env, KUBECONFIG: cluster.kubeconfig };
    const crds = await run(
      kubectl,
      ['--context', 'e2e-admin', 'apply', '--server-side', '-f', join(ROOT, 'test', 'e2e', 'fixtures', 'flux-crds')],
      { env },
    );
    if (crds.code !== 0) throw new Error(`installing the Flux CRDs failed: ${crds.stderr}`);
    await run(
      kubectl,
      ['--context', 'e2e-admin', 'wait', '--for=condition=Established', 'crd/helmreleases.helm.toolkit.fluxcd.io', '--timeout=60s'],
      { env },
    );
    const harness = await buildHarness('flux-watch');
    const out = join(work, 'flux.json');
    log(`flux: ${samples} HelmReleases, status Ready written by the bench`);
    const r = await run(NODE, [harness], {
      env: {
        ...process.env,
        GLAT_BENCH_OUT: out,
        GLAT_BENCH_KUBECONFIG: cluster.kubeconfig,
        GLAT_BENCH_CONTEXT: 'e2e-admin',
        GLAT_BENCH_KUBECTL: kubectl,
        GLAT_BENCH_SAMPLES: String(samples),
      },
      timeoutMs: 60_000 + samples * 40_000,
    });
    if (r.code !== 0 || !existsSync(out)) throw new Error(`flux harness exited ${r.code}: ${r.stderr.slice(-800)}`);
    const rs = JSON.parse(readFileSync(out, 'utf8')).samples;
    const ours = rs.map((s) => (s.adapter ? s.adapter - s.written : Infinity));
    const theirs = rs.filter((s) => s.kubectl).map((s) => s.kubectl - s.written);
    const med = (v) => percentile(v, 50);
    return {
      name: 'flux',
      results: {
        samples: rs.length,
        ours_ms: ours.map((x) => round(x)),
        kubectl_wait_ms: theirs.map((x) => round(x)),
        errors: rs.filter((s) => s.error).map((s) => s.error),
      },
      budgets: [
        budget(BUDGETS[0][0], percentile(ours, 95), 500, 'ms', `${rs.length} HelmReleases on the e2e control plane`),
        budget(
          BUDGETS[1][0],
          med(ours) / med(theirs),
          1.0,
          '×',
          `${round(med(ours), 0)} ms vs ${round(med(theirs), 0)} ms, both already watching when the status is written`,
        ),
      ],
    };
  } finally {
    log('flux: stopping control plane');
    await cluster.down().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}
