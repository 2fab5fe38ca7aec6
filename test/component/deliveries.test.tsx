import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { MENU } from '../../src/core/commands/registry.js';
import { runInstall } from '../../src/core/flows/install/flow.js';
import type { InstallOptions } from '../../src/core/flows/install/options.js';
import type { RunCommand } from '../../src/core/commands/registry.js';
import { createDemoPorts, type DemoWorld } from '../../src/demo/index.js';
import { createObjectStore } from '../../src/demo/object-store.js';
import { App } from '../../src/ui/tui/App.js';
import { fastWorld, gitlabWrites, projectFile } from '../support/demo-world.js';

/** The demo world: demo-prod is the current context, demo-group/infrastructure is project 42. */
type World = DemoWorld;
const objectsOf = (w: World) => {
  const c = w.clusters.get('demo-prod')!;
  return (c.objects ??= createObjectStore(c.servedGroups ?? {}, () => w.changed()));
};
import { KEY, frame, press, setRows, squash, waitFor, waitForText, type Rendered } from './helpers.js';

afterEach(() => cleanup());

/** The real install flow over in-memory ports; everything but the method and what follows it is given. */
function installing(w: World, over: Partial<InstallOptions> = {}): RunCommand {
  const opts: InstallOptions = {
    context: 'demo-prod', project: 'demo-group/infrastructure', agent: 'prod', namespace: 'gitlab-agent-prod', release: 'prod', imageTag: 'v18.6.1', chartVersion: '2.32.0',
    createConfig: 'none', noRbac: true, values: [], set: [], dryRun: false, timeoutMs: 5_000, connectTimeoutMs: 2_000, ...over,
  };
  return (_command, io) => runInstall(opts, createDemoPorts({ world: w, env: { GITLAB_TOKEN: 'glpat-fake-test-token' } }), io);
}

async function fluxWorld(): Promise<World> {
  const w = fastWorld();
  w.clusters.get('demo-prod')!.servedGroups = { 'source.toolkit.fluxcd.io': ['v1'], 'kustomize.toolkit.fluxcd.io': ['v1'], 'helm.toolkit.fluxcd.io': ['v2'] };
  const put = (o: Record<string, unknown>) => objectsOf(w).applyObject(o as never, { fieldManager: 'test' });
  for (const name of ['source-controller', 'kustomize-controller', 'helm-controller']) {
    await put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'flux-system' }, status: { readyReplicas: 1 } });
  }
  await put({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'https://gitlab.example.com/demo-group/infrastructure.git', ref: { branch: 'main' } } });
  await put({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { path: './clusters/prod', sourceRef: { kind: 'GitRepository', name: 'flux-system' } } });
  return w;
}

async function toMethodQuestion(r: Rendered): Promise<string> {
  await waitForText(r, 'What do you want to do?');
  await press(r, KEY.enter);
  return waitForText(r, 'How should the agent be installed?');
}

/** Enter on every question until `text` shows (each takes its default). */
async function enterUntil(r: Rendered, text: string): Promise<string> {
  for (let i = 0; i < 12 && !frame(r).includes(text); i++) {
    await press(r, KEY.enter);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  return waitForText(r, text);
}

describe('the install methods in the TUI', () => {
  it('offers every method with why to pick it, and the advanced install runs to the outcome', async () => {
    const w = fastWorld();
    const exits: number[] = [];
    // No --chart-version: the advanced install has no chart.
    const r = render(<App menu={[...MENU]} start={installing(w, { chartVersion: undefined })} version="0.1.0" onExit={(c) => exits.push(c)} />);
    setRows(r, 45);
    const f = await toMethodQuestion(r);
    expect(f).toContain('❯ Helm');
    expect(f).toContain('Flux (GitOps)');
    expect(f).toContain('Advanced (manifests)');
    expect(f).toContain('Receptive (GitLab connects to the agent)');
    expect(f).toContain('Ultimate, self-managed, 17.4+');
    expect(f).not.toContain('not available');
    await press(r, KEY.down, KEY.down);
    await waitForText(r, '❯ Advanced (manifests)');
    await press(r, KEY.enter);
    const review = await enterUntil(r, 'Install with these settings?');
    expect(review).toMatch(/Manifests\s+prod: applied server-side/);
    expect(review).toContain('kubectl --context demo-prod apply --server-side');
    await press(r, KEY.enter);
    await waitFor(() => exits.length > 0, () => frame(r), 15_000);
    expect(frame(r)).toContain('Agent prod is installed, Ready and connected.');
    expect(objectsOf(w).all().some((o) => o.kind === 'Deployment' && o.metadata.name === 'prod-gitlab-agent')).toBe(true);
  });

  it('the Flux path screen defaults to the Kustomization path and refuses a path Flux does not reconcile', async () => {
    const w = await fluxWorld();
    const exits: number[] = [];
    const r = render(<App menu={[...MENU]} start={installing(w)} version="0.1.0" onExit={(c) => exits.push(c)} />);
    setRows(r, 45);
    await toMethodQuestion(r);
    await press(r, KEY.down);
    await waitForText(r, '❯ Flux (GitOps)');
    await press(r, KEY.enter);
    let f = await enterUntil(r, 'Directory for the agent manifests in the repository');
    expect(f).toContain('clusters/prod');
    expect(f).toContain('(--manifest-path)');
    expect(f).toContain('reconciles "clusters/prod" on branch main');
    await press(r, ...Array<string>(13).fill(KEY.backspace), 'apps');
    await waitForText(r, '› apps');
    await press(r, KEY.enter);
    f = await waitForText(r, 'Flux reconciles "clusters/prod": choose it or a directory below it');
    await press(r, ...Array<string>(4).fill(KEY.backspace), 'clusters/prod/agents');
    await waitForText(r, '› clusters/prod/agents');
    await press(r, KEY.enter);
    f = await waitForText(r, 'Install with these settings?');
    expect(f).toMatch(/Flux\s+flux-system\/flux-system reconciles "clusters\/prod" on main/);
    expect(squash(f)).toContain('create clusters/prod/agents/gitlab-agent-prod/helm-release.yaml');
    // Cancel (the last choice: up from the first wraps to it): nothing committed.
    await press(r, KEY.up);
    await waitForText(r, '❯ Cancel');
    await press(r, KEY.enter);
    await waitFor(() => exits.length > 0, () => frame(r));
    expect(exits).toEqual([130]);
    expect(gitlabWrites(w)).toEqual([]);
  });

  it('the export screen writes the chosen format from the review and returns to it', async () => {
    const w = fastWorld();
    const exits: number[] = [];
    const r = render(<App menu={[...MENU]} start={installing(w, { method: 'helm' })} version="0.1.0" onExit={(c) => exits.push(c)} />);
    setRows(r, 45);
    await waitForText(r, 'What do you want to do?');
    await press(r, KEY.enter);
    await enterUntil(r, 'Install with these settings?');
    // Install, Change an answer…, Write the values, Export as code.
    await press(r, KEY.down, KEY.down, KEY.down);
    await waitForText(r, '❯ Export as code instead');
    await press(r, KEY.enter);
    let f = await waitForText(r, 'Export as');
    expect(f).toContain('helm-values');
    expect(f).toContain('Terraform'.toLowerCase());
    expect(f).toContain('main.tf: GitLab agent, token and config file');
    await press(r, KEY.down, KEY.down, KEY.down);
    await waitForText(r, '❯ terraform');
    await press(r, KEY.enter);
    f = await waitForText(r, 'Write the files into directory');
    expect(f).toContain('./prod-terraform');
    await press(r, KEY.enter);
    f = await waitForText(r, 'exported as terraform: ./prod-terraform/main.tf (no token in them)');
    await waitForText(r, 'Install with these settings?');
    expect(w.files.get('prod-terraform/main.tf')).toContain('resource "gitlab_cluster_agent" "this"');
    expect(gitlabWrites(w)).toEqual([]);
  });
});
