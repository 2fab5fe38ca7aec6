// throwaway (not committed): profile troubleshoot against a running cluster
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { buildHarness } from './lib/build-harness.mjs';
import { NODE, paths, run, sleep } from './lib/util.mjs';
import { e2eTools, sandbox, startGitLab, timed } from './readiness.mjs';
const kubeconfig = process.env.KCFG, chartRepo = process.env.CREPO;
const tools = await e2eTools();
const work = mkdtempSync('/tmp/doctor-more-prof/w-');
const gitlab = await startGitLab(await buildHarness('gitlab'));
const env = sandbox(work, 'ts', tools.helm3, tools.kubectl, kubeconfig);
const agent = 'prof';
const ns = `gitlab-agent-${agent}`;
writeFileSync(join(work, 'c.yaml'), 'podAnnotations:\n  e2e.test/crashloop: "true"\n');
const setup = process.env.SKIP ? { code: 'skipped' } : await timed([NODE, paths.cli, 'install', '--yes', '--project', 'group/app', '--agent', agent, '--context', 'e2e-admin', '--gitlab-url', gitlab.url, '--chart-repo', chartRepo, '--values', join(work, 'c.yaml'), '--timeout', '40s', '--connect-timeout', '20s'], { ...env, GITLAB_TOKEN: gitlab.pat });
console.log('install', setup.code);
await sleep(3000);
const argv = [NODE, ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/doctor-more-prof'] : []), paths.cli, 'troubleshoot', '--context', 'e2e-admin', '--namespace', ns, '--release', agent, '--gitlab-url', gitlab.url, '--output', 'json'];
for (let i = 0; i < Number(process.env.N ?? 4); i++) {
  const r = await timed(argv, { ...env, GITLAB_TOKEN: gitlab.pat });
  console.log(Math.round(r.ms), r.code, r.steps.map((s) => `${s.step}@${Math.round(s.atMs)}`).join(' · '));
}
gitlab.close();
