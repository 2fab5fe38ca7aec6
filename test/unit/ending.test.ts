import { describe, expect, it } from 'vitest';
import { buildProgram, type Invocation } from '../../src/cli/program.js';
import { runInstall } from '../../src/core/flows/install/flow.js';
import { INSTALL_OPTION_IDS, type InstallOptions } from '../../src/core/flows/install/options.js';
import type { FlowEvent } from '../../src/core/kernel/events.js';
import type { FlowOutcome } from '../../src/core/kernel/outcome.js';
import type { AnswerOf, Asker, Question } from '../../src/core/kernel/questions.js';
import { optionValues } from '../../src/core/options/catalogue.js';
import type { OptionValues } from '../../src/core/options/values.js';
import { equivalentInstallCommand } from '../../src/core/plan/equivalent-command.js';
import { installNextSteps } from '../../src/core/plan/next-steps.js';
import { createDemoPorts } from '../../src/demo/index.js';
import { DEMO_AGENT_TOKEN } from '../../src/demo/seed.js';
import { writeJson } from '../../src/ui/json/json-writer.js';
import { fastWorld } from '../support/demo-world.js';
import { shellWords } from '../support/shell-words.js';
import { PassThrough } from 'node:stream';

/** What the CLI hands the install command for this argv (after `gitlab-agent-tui`), and the globals. */
async function parsed(argv: string[]): Promise<{ values: Partial<OptionValues>; yes: boolean }> {
  let inv: Invocation | undefined;
  await buildProgram('0.0.0', (i) => (inv = i)).parseAsync(argv, { from: 'user' });
  if (inv?.kind !== 'command') throw new Error(`no command in ${argv.join(' ')}`);
  return { values: optionValues(INSTALL_OPTION_IDS, inv.raw), yes: inv.globals.yes };
}

/** The words of a printed command line, without the program name. */
function argvOf(command: string): string[] {
  const words = shellWords(command);
  expect(words[0]).toBe('gitlab-agent-tui');
  return words.slice(1);
}

const ODD: Partial<OptionValues> = {
  kubeconfig: '/home/me/my kube/config',
  context: "arn:aws:eks:eu-west-1:1:cluster/it's",
  gitlabUrl: 'https://gitlab.example.com',
  project: 'group/sub group?',
  agent: 'prod',
  method: 'helm',
  namespace: 'gitlab-agent-prod',
  createNamespace: false,
  release: 'prod',
  imageTag: 'v18.6.1',
  chartVersion: '~2.32',
  httpsProxy: 'http://proxy.internal:3128',
  noProxy: '.svc,10.0.0.0/8,*.local',
  kasCaCert: './ca $HOME `x`.pem',
  noRbac: true,
  values: ['extra values.yaml'],
  set: ['podAnnotations.a=b c'],
  setString: ['x="y"'],
  createConfig: 'ci-access',
  timeoutMs: 90_000,
  connectTimeoutMs: 180_000,
  dryRun: true,
};

describe('the equivalent command line', () => {
  it('quotes odd values so that bash and the CLI parser give back exactly the same answers', async () => {
    const cmd = equivalentInstallCommand(ODD);
    for (const form of [cmd.text, cmd.line]) {
      const argv = argvOf(form);
      expect(argv).toEqual(cmd.argv);
      const { values, yes } = await parsed(argv);
      expect(yes).toBe(true);
      expect(values).toMatchObject(ODD);
    }
    // One flag a line, continued: nothing long for a terminal to wrap.
    expect(cmd.text.split('\n')[0]).toBe('gitlab-agent-tui install --yes \\');
    expect(cmd.text).toContain("\n  --context 'arn:aws:eks:eu-west-1:1:cluster/it'\\''s' \\\n");
    expect(cmd.text).toContain("\n  --kas-ca-cert './ca $HOME `x`.pem' \\\n");
    // Defaults stay out (the connect timeout is at its 3m), a negation is written as its flag.
    expect(cmd.argv).not.toContain('--connect-timeout');
    expect(cmd.argv).toContain('--no-create-namespace');
    expect(cmd.argv).toEqual(expect.arrayContaining(['--timeout', '90s']));
  });

  it('never carries --output: where the result goes is no answer', () => {
    expect(equivalentInstallCommand({ agent: 'a', output: 'json' }).argv).toEqual(['install', '--yes', '--agent', 'a']);
  });
});

describe('next steps', () => {
  const target = {
    context: 'prod eu',
    namespace: 'gitlab-agent-prod',
    gitlabUrl: 'https://gitlab.com',
    projectPath: 'group/infra',
    agentName: 'prod',
    kubeconfig: '/tmp/k c',
  };

  it('helm: status, the page, the exact upgrade and the complete uninstall of this tool, quoted, with context and namespace', async () => {
    const { steps, lines } = installNextSteps({ target, method: 'helm', release: 'prod', configFile: true });
    expect(steps.map((x) => `${x.label}: ${x.text}`)).toEqual([
      "Status: gitlab-agent-tui status --kubeconfig '/tmp/k c' --context 'prod eu' --namespace gitlab-agent-prod",
      'In GitLab: https://gitlab.com/group/infra/-/cluster_agents/prod',
      "Upgrade: gitlab-agent-tui upgrade --kubeconfig '/tmp/k c' --context 'prod eu' --namespace gitlab-agent-prod --release prod",
      "Uninstall: gitlab-agent-tui uninstall --kubeconfig '/tmp/k c' --context 'prod eu' --namespace gitlab-agent-prod --release prod --project group/infra --revoke-agent-token --delete-agent --delete-config",
    ]);
    // As report lines: short enough for an 80-column terminal (with the 2-space indent), long ones continued.
    expect(
      lines.every((l) => l.length + 2 <= 80),
      lines.join('\n'),
    ).toBe(true);
    expect(lines.some((l) => l.endsWith(' \\'))).toBe(true);
    expect(
      lines
        .join('\n')
        .replace(/ \\\n {4}/g, ' ')
        .split('\n'),
    ).toEqual(steps.map((x) => `${x.label}: ${x.text}`));
    // Each command is one the CLI accepts as written, in both forms.
    const printed = lines
      .join('\n')
      .split(/^(?:Status|In GitLab|Upgrade|Uninstall): /m)
      .slice(1);
    for (const [n, s] of steps.entries()) {
      if (s.id === 'gitlab') continue;
      expect(shellWords(printed[n]!)).toEqual(shellWords(s.text));
      let inv: Invocation | undefined;
      await buildProgram('0.0.0', (i) => (inv = i)).parseAsync(argvOf(s.text), { from: 'user' });
      expect(inv?.kind === 'command' && inv.command.id).toBe(s.id);
    }
  });

  it('flux and advanced: the way their workload goes, then the agent in GitLab', () => {
    const flux = installNextSteps({
      target,
      method: 'flux',
      release: 'prod',
      configFile: false,
      uninstallHint: 'delete gitlab-agent-prod/ from the Flux branch',
    }).steps;
    expect(flux.find((s) => s.id === 'upgrade')!.text).toContain('HelmRelease prod in Git');
    expect(flux.find((s) => s.id === 'uninstall')!.text).toBe(
      'delete gitlab-agent-prod/ from the Flux branch, then delete agent prod in GitLab (https://gitlab.com/group/infra/-/clusters)',
    );
    const advanced = installNextSteps({
      target,
      method: 'advanced',
      release: 'prod',
      configFile: false,
      uninstallHint: 'kubectl delete …',
    }).steps;
    expect(advanced.find((s) => s.id === 'upgrade')!.text).toBe('run the same install again with a new --image-tag');
  });
});

class ScriptedAsker implements Asker {
  constructor(private readonly answers: Record<string, string | boolean>) {}
  async ask<Q extends Question>(q: Q): Promise<AnswerOf<Q>> {
    if (q.id in this.answers) return this.answers[q.id] as AnswerOf<Q>;
    if (q.kind !== 'secret' && q.default !== undefined) return q.default as AnswerOf<Q>;
    throw new Error(`unscripted question ${q.id}`);
  }
}

const BASE: InstallOptions = { values: [], set: [], dryRun: false, timeoutMs: 5_000, connectTimeoutMs: 2_000 };

async function interactiveInstall(
  answers: Record<string, string | boolean>,
  over: Partial<InstallOptions> = {},
  env: Record<string, string> = {},
) {
  const events: FlowEvent[] = [];
  const outcome = await runInstall({ ...BASE, ...over }, createDemoPorts({ world: fastWorld(), env }), {
    asker: new ScriptedAsker(answers),
    emit: (e) => events.push(e),
    signal: new AbortController().signal,
  });
  return { outcome, events };
}

const json = (o: FlowOutcome) => {
  const out = new PassThrough();
  writeJson(out, o);
  return String(out.read());
};

describe('the ending of an interactive install', () => {
  it('repeats every answer as a flag and never a token, on screen or in JSON; the same answers come back from the parser', async () => {
    const typed = 'glpat-typed-in-the-prompt';
    const answers = {
      'gitlab-token': typed,
      context: 'demo-prod',
      project: 'demo-group/infrastructure',
      agent: 'ci',
      namespace: 'agents',
      'use-proxy': true,
      'https-proxy': 'http://proxy.internal:3128',
      rbac: 'none',
      'create-config': 'user-access',
      review: 'apply',
    };
    const { outcome } = await interactiveInstall(answers, {}, {});
    expect(outcome.exitCode, outcome.headline).toBe(0);
    const data = outcome.data as { equivalentCommand: string; nextSteps: { id: string; text: string }[] };
    const code = outcome.sections!.find((s) => s.kind === 'code');
    expect(code?.kind === 'code' && code.text).toContain('--no-rbac');
    for (const text of [JSON.stringify(outcome), json(outcome)]) {
      expect(text).not.toContain(typed);
      expect(text).not.toContain(DEMO_AGENT_TOKEN);
    }
    const { values } = await parsed(argvOf(data.equivalentCommand));
    expect(values).toMatchObject({
      context: 'demo-prod',
      gitlabUrl: 'https://gitlab.example.com',
      project: 'demo-group/infrastructure',
      agent: 'ci',
      method: 'helm',
      namespace: 'agents',
      release: 'ci',
      imageTag: 'v18.6.1',
      httpsProxy: 'http://proxy.internal:3128',
      noProxy: 'localhost,127.0.0.1,.svc,.cluster.local,kubernetes.default.svc',
      noRbac: true,
      createConfig: 'user-access',
    });
    expect(JSON.parse(json(outcome)).nextSteps.map((s: { id: string }) => s.id)).toEqual(['status', 'gitlab', 'upgrade', 'uninstall']);
    // The config file this run committed goes with a complete uninstall.
    expect(data.nextSteps.find((s) => s.id === 'uninstall')!.text).toMatch(/--delete-config$/);
  });

  it('a run in flag mode ends with next steps but no equivalent command: it is one already', async () => {
    const { FlagAsker } = await import('../../src/ui/flags/flag-asker.js');
    const events: FlowEvent[] = [];
    const outcome = await runInstall(
      { ...BASE, project: 'demo-group/infrastructure', agent: 'prod' },
      createDemoPorts({ world: fastWorld() }),
      { asker: new FlagAsker('--yes was given'), emit: (e) => events.push(e), signal: new AbortController().signal },
    );
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(outcome.sections?.map((s) => s.kind)).toEqual(['lines']);
    expect((outcome.data as { equivalentCommand?: string }).equivalentCommand).toBeUndefined();
  });
});
