/**
 * The e2e test chart (test/e2e/chart) in its two forms: the source form (a directory without
 * charts/, like a git checkout of the official chart) and the packaged form (a .tgz with the
 * ingress-nginx dependency inside, made by test/e2e/chart/package.sh, as the chart repository
 * serves it).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { exec } from './kube.js';
import { ROOT } from './paths.js';
import type { Sandbox } from './sandbox.js';

export const CHART_ROOT = join(ROOT, 'test/e2e/chart');
const PACKAGE_SH = join(CHART_ROOT, 'package.sh');

/** The chart source to use; GLAT_E2E_CHART_SRC points the tests (and package.sh) at another one. */
export function chartSource(): string {
  return process.env.GLAT_E2E_CHART_SRC || join(CHART_ROOT, 'gitlab-agent');
}

export interface ChartVersion {
  version: string;
  appVersion: string;
}

/** The version matrix the chart repository serves (test/e2e/chart/chart-versions.txt). */
export function chartVersions(): ChartVersion[] {
  return readFileSync(join(CHART_ROOT, 'chart-versions.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [version, appVersion] = l.split(/\s+/);
      return { version: version!, appVersion: appVersion! };
    });
}

/** Packages the chart (dependency built in) as `version`/`appVersion` into `dest`; returns the .tgz path. */
export async function packageChart(sb: Sandbox, dest: string, version: string, appVersion: string): Promise<string> {
  mkdirSync(dest, { recursive: true });
  const r = await exec(
    '/bin/bash',
    [PACKAGE_SH, sb.helmBin, dest, version, appVersion],
    { ...sb.env, GLAT_E2E_CHART_SRC: chartSource() },
    120_000,
  );
  if (r.code !== 0) throw new Error(`package.sh ${version} ${appVersion} failed (${r.code}): ${r.stderr}`);
  const tgz = readdirSync(dest).find((f) => f === `gitlab-agent-${version}.tgz`);
  if (!tgz) throw new Error(`package.sh wrote no gitlab-agent-${version}.tgz into ${dest}`);
  return join(dest, tgz);
}

/**
 * A copy of the chart's source form under `parent` (what a git checkout holds: no charts/, no
 * Chart.lock, whatever a local `helm dependency build` left in the working tree). Returns its path.
 */
export function sourceFormCopy(parent: string): string {
  const src = chartSource();
  const dest = join(parent, basename(src));
  cpSync(src, dest, {
    recursive: true,
    filter: (p) => {
      const rel = p.slice(src.length).replace(/^\//, '');
      return rel !== 'charts' && !rel.startsWith('charts/') && rel !== 'Chart.lock';
    },
  });
  return dest;
}
