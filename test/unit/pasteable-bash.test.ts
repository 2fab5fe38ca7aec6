import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../src/core/kernel/events.js';
import type { FlowOutcome } from '../../src/core/kernel/outcome.js';
import { runInstall } from '../../src/core/flows/install/flow.js';
import type { InstallOptions } from '../../src/core/flows/install/options.js';
import { createObjectStore } from '../../src/demo/object-store.js';
import { createDemoPorts, type DemoWorld } from '../../src/demo/index.js';
import { DEMO_AGENT_TOKEN } from '../../src/demo/seed.js';
import { FlagAsker } from '../../src/ui/flags/flag-asker.js';
import { LinePrinter } from '../../src/ui/lines/line-printer.js';
import { fastWorld } from '../support/demo-world.js';
import { shellWords } from '../support/shell-words.js';
import { buildProgram, type Invocation } from '../../src/cli/program.js';
import { INSTALL_OPTION_IDS } from '../../src/core/flows/install/options.js';
import { optionValues } from '../../src/core/options/catalogue.js';

/**
 * Every pasteable text the install prints, run through `bash -n`: the review's script (as the event
 * carries it and as plain mode prints it) and the dry run's, for each method. Tests may spawn bash;
 * the product never does.
 */

const TOKEN = 'glpat-fake-test-token';

function bashN(script: string): { ok: boolean; stderr: string } {
  const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  // An unclosed heredoc is only a warning to bash (status 0): it counts as broken here.
  return { ok: r.status === 0 && !/here-document/.test(r.stderr), stderr: r.stderr };
}

function opts(over: Partial<InstallOptions> = {}): InstallOptions {
  return {
    project: 'demo-group/infrastructure',
    agent: 'prod',
    values: [],
    set: [],
    dryRun: true,
    timeoutMs: 5_000,
    connectTimeoutMs: 2_000,
    ...over,
  };
}

/** A dry run, with what plain mode printed of it: the review on stderr, the outcome on stdout. */
async function dryRun(w: DemoWorld, o: Partial<InstallOptions>) {
  const events: FlowEvent[] = [];
  const err = new PassThrough();
  const out = new PassThrough();
  const printer = new LinePrinter(err, out, false);
  const outcome = await runInstall(opts(o), createDemoPorts({ world: w, env: { GITLAB_TOKEN: TOKEN } }), {
    asker: new FlagAsker('--yes was given'),
    emit: (e) => (events.push(e), printer.onEvent(e)),
    signal: new AbortController().signal,
  });
  printer.printOutcome(outcome);
  const review = events.find((e): e is Extract<FlowEvent, { type: 'review' }> => e.type === 'review');
  return { outcome, review, stderr: String(err.read() ?? ''), stdout: String(out.read() ?? '') };
}

/** What plain mode printed between the command's title and the blank line after it. */
function printedBlock(text: string, title: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(title);
  expect(start, text).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.indexOf('');
  return rest.slice(0, end < 0 ? undefined : end).join('\n');
}

const codeOf = (o: FlowOutcome) => o.sections?.flatMap((s) => (s.kind === 'code' ? [s.text] : [])).join('\n') ?? '';

async function fluxWorld(): Promise<DemoWorld> {
  const w = fastWorld();
  const prod = w.clusters.get('demo-prod')!;
  prod.servedGroups = { 'source.toolkit.fluxcd.io': ['v1'], 'kustomize.toolkit.fluxcd.io': ['v1'], 'helm.toolkit.fluxcd.io': ['v2'] };
  const store = (prod.objects ??= createObjectStore(prod.servedGroups, () => w.changed()));
  const put = (o: Record<string, unknown>) => store.applyObject(o as never, { fieldManager: 'test' });
  for (const name of ['source-controller', 'kustomize-controller', 'helm-controller']) {
    await put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'flux-system' }, status: { readyReplicas: 1 } });
  }
  await put({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    spec: { url: 'ssh://git@gitlab.example.com/demo-group/infrastructure.git', ref: { branch: 'main' } },
  });
  await put({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    spec: { path: './clusters/prod', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
  });
  return w;
}

const CASES: { method: string; world: () => DemoWorld | Promise<DemoWorld>; over: Partial<InstallOptions>; expects: RegExp }[] = [
  {
    method: 'helm',
    world: () => fastWorld(),
    over: { httpsProxy: "http://proxy.internal:3128/it's", noProxy: '.svc' },
    expects: /^helm upgrade --install prod gitlab-agent \\$/m,
  },
  {
    method: 'flux',
    world: fluxWorld,
    over: { method: 'flux' },
    expects: /^cat > clusters\/prod\/gitlab-agent-prod\/helm-release\.yaml <<'YAML'$/m,
  },
  {
    method: 'advanced',
    world: () => fastWorld(),
    over: { method: 'advanced' },
    expects: /^kubectl --context demo-prod apply --server-side/m,
  },
  {
    method: 'receptive',
    world: () => fastWorld({ receptiveAgents: true }),
    over: { method: 'receptive', receptiveUrl: 'grpcs://agent.example.com:443' },
    expects: /^helm upgrade --install prod gitlab-agent \\$/m,
  },
];

describe('every pasteable text passes bash -n', () => {
  it('bash -n tells a broken script from a good one (the check itself works)', () => {
    expect(bashN("cat <<'VALUES'\na: 1\nVALUES\n").ok).toBe(true);
    // An indented end marker never closes the heredoc: what plain mode used to print.
    expect(bashN("cat <<'VALUES'\n  a: 1\n  VALUES\n").ok).toBe(false);
    expect(bashN('if true; then\n').ok).toBe(false);
  });

  for (const c of CASES) {
    it(`--method ${c.method}: the review's script, as sent and as plain mode prints it, and the dry run's`, async () => {
      const { outcome, review, stderr, stdout } = await dryRun(await c.world(), c.over);
      expect(outcome.exitCode, outcome.headline).toBe(0);
      const script = review!.command;
      expect(script).toMatch(c.expects);
      // Complete: the namespace and the token Secret, the token read from a file and never in the text.
      expect(script.replace(/ \\\n\s+/g, ' ')).toContain(
        'kubectl --context demo-prod -n gitlab-agent-prod create secret generic prod-agent-token --from-file=token=./agent-token',
      );
      // Short lines outside the heredocs (the files' own text aside): a terminal that wraps one would break a copy. URLs are what they are.
      let inHeredoc: string | undefined;
      for (const line of script.split('\n')) {
        if (inHeredoc !== undefined) {
          if (line === inHeredoc) inHeredoc = undefined;
          continue;
        }
        inHeredoc = /<<'(\w+)'$/.exec(line)?.[1];
        if (!/https?:\/\//.test(line)) expect(line.length, line).toBeLessThanOrEqual(80);
      }
      expect(script).toMatch(/^# Save the token GitLab showed you to \.\/agent-token/m);
      for (const text of [script, stderr, stdout]) {
        expect(text).not.toContain(DEMO_AGENT_TOKEN);
        expect(text).not.toContain(TOKEN);
      }
      for (const text of [
        script,
        printedBlock(
          stderr,
          review!.commandTitle ?? 'Equivalent commands (paste into bash; the agent token is read from a file, never typed):',
        ),
        codeOf(outcome),
        printedBlock(stdout, 'The install would run:'),
      ]) {
        const r = bashN(text);
        expect(r.ok, `${r.stderr}\n${text}`).toBe(true);
        // Heredoc end markers stand alone at column 0.
        expect(text).not.toMatch(/^\s+(VALUES|YAML)$/m);
      }
    });
  }
});

describe('the review can write the script to a file', () => {
  it('writes exactly the script the review shows, which passes bash -n, and comes back to the review', async () => {
    const w = fastWorld();
    const events: FlowEvent[] = [];
    let review = 0;
    const asker = {
      async ask(q: { id: string; kind: string; default?: unknown }) {
        if (q.id === 'review') return review++ === 0 ? 'save-script' : 'cancel';
        if (q.id === 'script-path') return './install.sh';
        if (q.kind !== 'secret' && q.default !== undefined) return q.default;
        throw new Error(`unscripted ${q.id}`);
      },
    };
    const outcome = await runInstall(opts({ dryRun: false }), createDemoPorts({ world: w, env: { GITLAB_TOKEN: TOKEN } }), {
      asker: asker as never,
      emit: (e) => events.push(e),
      signal: new AbortController().signal,
    });
    expect(outcome.exitCode).toBe(130);
    const shown = events.find((e): e is Extract<FlowEvent, { type: 'review' }> => e.type === 'review')!.command;
    const written = w.files.get('install.sh') ?? w.files.get('./install.sh')!;
    expect(written).toBe(`${shown}\n`);
    expect(bashN(written).ok).toBe(true);
    expect(written).not.toContain(TOKEN);
  });
});

describe('the equivalent command of an interactive dry run, for every method', () => {
  for (const c of CASES) {
    it(`--method ${c.method}: the CLI reads back the method's own answers`, async () => {
      const w = await c.world();
      const asker = {
        async ask(q: { id: string; kind: string; default?: unknown }) {
          if (q.kind !== 'secret' && q.default !== undefined) return q.default;
          throw new Error(`unscripted ${q.id}`);
        },
      };
      const outcome = await runInstall(opts(c.over), createDemoPorts({ world: w, env: { GITLAB_TOKEN: TOKEN } }), {
        asker: asker as never,
        emit: () => undefined,
        signal: new AbortController().signal,
      });
      expect(outcome.exitCode, outcome.headline).toBe(0);
      const code = outcome.sections?.filter((s) => s.kind === 'code').map((s) => (s.kind === 'code' ? s.text : ''));
      expect(code).toHaveLength(2);
      const equivalent = code![1]!;
      expect(bashN(equivalent).ok).toBe(true);
      let inv: Invocation | undefined;
      await buildProgram('0.0.0', (i) => (inv = i)).parseAsync(shellWords(equivalent).slice(1), { from: 'user' });
      if (inv?.kind !== 'command') throw new Error(equivalent);
      const values = optionValues(INSTALL_OPTION_IDS, inv.raw);
      expect(values).toMatchObject({
        ...c.over,
        method: c.method,
        context: 'demo-prod',
        project: 'demo-group/infrastructure',
        agent: 'prod',
        namespace: 'gitlab-agent-prod',
        release: 'prod',
        dryRun: true,
      });
      if (c.method === 'flux') expect(values.manifestPath).toBe('clusters/prod');
      expect(equivalent).not.toContain(TOKEN);
    });
  }
});
