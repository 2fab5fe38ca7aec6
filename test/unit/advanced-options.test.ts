import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram, type Invocation } from '../../src/cli/program.js';
import { runInstall } from '../../src/core/flows/install/flow.js';
import { INSTALL_OPTION_IDS, type InstallOptions } from '../../src/core/flows/install/options.js';
import { UsageError } from '../../src/core/kernel/errors.js';
import type { AnswerOf, Asker, Question } from '../../src/core/kernel/questions.js';
import { optionValues, validateOptions } from '../../src/core/options/catalogue.js';
import type { OptionValues } from '../../src/core/options/values.js';
import { advancedSettings, advancedSummary, parseToleration } from '../../src/core/plan/advanced-options.js';
import { buildHelmValues, helmValuesYaml } from '../../src/core/plan/helm/values.js';
import { pasteableHelmCommand } from '../../src/core/plan/helm/pasteable.js';
import { agentObjects } from '../../src/core/plan/manifests/package.js';
import { fluxValues } from '../../src/core/plan/flux/values.js';
import { POD_TOKEN_ID_ANNOTATION } from '../../src/core/plan/ownership.js';
import { createDemoPorts } from '../../src/demo/index.js';
import { fastWorld } from '../support/demo-world.js';
import { shellWords } from '../support/shell-words.js';
import { lineFor } from '../support/option-line.js';
import { sampleRelease, sampleSettings } from '../support/sample-settings.js';

async function parsed(argv: string[]): Promise<Partial<OptionValues>> {
  let inv: Invocation | undefined;
  await buildProgram('0.0.0', (i) => (inv = i)).parseAsync(argv, { from: 'user' });
  if (inv?.kind !== 'command') throw new Error(`no command in ${argv.join(' ')}`);
  return optionValues(INSTALL_OPTION_IDS, inv.raw);
}

const FLAGS = [
  'install',
  '--replicas',
  '3',
  '--requests',
  'cpu=100m,memory=128Mi',
  '--limits',
  'cpu=1,memory=256Mi',
  '--node-selector',
  'kubernetes.io/os=linux',
  '--node-selector',
  'pool=agents',
  '--toleration',
  'dedicated=agents:NoSchedule',
  '--toleration',
  'spot:NoExecute',
  '--priority-class',
  'agent-critical',
  '--image-pull-secret',
  'mirror-pull',
  '--pod-label',
  'team=platform',
  '--pod-annotation',
  'example.com/owner=platform, ops',
  '--pod-annotation',
  `${POD_TOKEN_ID_ANNOTATION}=forged`,
  '--kas-header',
  'Cookie: gitlab_canary=true',
  '--kas-header',
  'X-Env: prod',
  '--kas-tls-server-name',
  'kas.gitlab.example.com',
];

describe('advanced options: each flag checked before anything else happens', () => {
  it.each<[Partial<OptionValues>, string]>([
    [{ replicas: 'two' }, '--replicas: "two" is not a replica count (pass a whole number'],
    [{ replicas: '-1' }, '--replicas: "-1" is not a replica count'],
    [{ requests: 'cpu=lots' }, '--requests: cpu: "lots" is not a Kubernetes quantity'],
    [{ limits: 'gpu=1' }, '--limits: "gpu" is not a resource (cpu, memory or ephemeral-storage)'],
    [{ limits: 'memory=128MB' }, '--limits: memory: "128MB" is not a Kubernetes quantity (a quantity such as 128Mi or 1Gi)'],
    [{ nodeSelector: ['pool'] }, '--node-selector: "pool" is not key=value (e.g. kubernetes.io/os=linux)'],
    [{ nodeSelector: ['pool=a b'] }, '--node-selector: "a b" is not a valid label value'],
    [{ nodeSelector: ['Bad_Prefix/x=y'] }, '--node-selector: "Bad_Prefix/x": the prefix before "/" must be a DNS subdomain'],
    [{ toleration: ['dedicated=agents'] }, '--toleration: "dedicated=agents" has no effect'],
    [
      { toleration: ['dedicated=agents:NoEvict'] },
      '--toleration: "NoEvict" is not a taint effect (NoSchedule, PreferNoSchedule or NoExecute)',
    ],
    [{ priorityClass: 'Critical' }, '--priority-class: "Critical" is not a valid PriorityClass name'],
    [{ imagePullSecret: ['my_secret'] }, '--image-pull-secret: "my_secret" is not a valid Secret name'],
    [{ podLabel: ['app.kubernetes.io/name=x'] }, "--pod-label: app.kubernetes.io/name is the chart's selector label"],
    [{ podAnnotation: ['=x'] }, '--pod-annotation: "" is not a valid key'],
    [{ kasHeader: ['Cookie'] }, '--kas-header: "Cookie" is not "Name: value"'],
    [{ kasHeader: ['X-Env:'] }, '--kas-header: header X-Env has no value'],
    [{ kasTlsServerName: 'https://kas' }, '--kas-tls-server-name: "https://kas" is not a valid TLS server name'],
  ])('%j', (values, expected) => expect(lineFor(values)).toContain(expected));

  it('accepts good values', () => {
    expect(
      lineFor({
        replicas: '0',
        requests: 'cpu=0.5,memory=1Gi',
        limits: 'cpu=2,memory=1.5Gi,ephemeral-storage=1e9',
        nodeSelector: ['kubernetes.io/os=linux', 'empty='],
        toleration: ['a:NoSchedule', 'example.com/b=c:PreferNoSchedule'],
        priorityClass: 'system-cluster-critical',
        imagePullSecret: ['regcred'],
        podLabel: ['team=platform'],
        podAnnotation: ['a=anything, at all'],
        kasHeader: ['Cookie: a=b; c=d'],
        kasTlsServerName: 'kas.example.com',
      }),
    ).toBeUndefined();
  });

  it('a bad value from the command line is a usage error (exit 2) naming the flag, before any network call', async () => {
    const values = await parsed(['install', '--toleration', 'x:Sometimes']);
    let err: unknown;
    try {
      validateOptions(INSTALL_OPTION_IDS, values);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).line()).toMatch(/^--toleration: /);
  });

  it('tolerations read as kubectl taint syntax', () => {
    expect(parseToleration('dedicated=agents:NoSchedule')).toEqual({
      key: 'dedicated',
      operator: 'Equal',
      value: 'agents',
      effect: 'NoSchedule',
    });
    expect(parseToleration('spot:NoExecute')).toEqual({ key: 'spot', operator: 'Exists', effect: 'NoExecute' });
    expect(parseToleration('empty=:PreferNoSchedule')).toEqual({ key: 'empty', operator: 'Equal', value: '', effect: 'PreferNoSchedule' });
  });
});

describe('advanced options: the helm values', () => {
  it('every option lands in the chart values; our rollout annotation wins over a given one', async () => {
    const values = await parsed(FLAGS);
    validateOptions(INSTALL_OPTION_IDS, values);
    const advanced = advancedSettings(values);
    const helm = buildHelmValues(sampleSettings({ advanced, rollout: { tokenId: 42 } }));
    expect(helm).toMatchObject({
      replicas: 3,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
      nodeSelector: { 'kubernetes.io/os': 'linux', pool: 'agents' },
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' },
        { key: 'spot', operator: 'Exists', effect: 'NoExecute' },
      ],
      priorityClassName: 'agent-critical',
      imagePullSecrets: [{ name: 'mirror-pull' }],
      podLabels: { team: 'platform' },
      podAnnotations: { 'example.com/owner': 'platform, ops', [POD_TOKEN_ID_ANNOTATION]: '42' },
      extraArgs: ['--kas-tls-server-name=kas.gitlab.example.com'],
    });
    expect((helm.config as Record<string, unknown>).kasHeaders).toEqual(['Cookie: gitlab_canary=true', 'X-Env: prod']);
  });

  it("Flux's HelmRelease carries the same values", async () => {
    const settings = sampleSettings({ advanced: advancedSettings(await parsed(FLAGS)) });
    expect(fluxValues(settings)).toEqual(buildHelmValues(settings));
    expect(fluxValues(settings)).toMatchObject({ replicas: 3, tolerations: expect.any(Array) });
  });

  it('nothing given: no value the chart would not set itself', () => {
    const helm = buildHelmValues(sampleSettings({ advanced: advancedSettings({}) }));
    for (const key of [
      'replicas',
      'resources',
      'nodeSelector',
      'tolerations',
      'priorityClassName',
      'imagePullSecrets',
      'podLabels',
      'podAnnotations',
      'extraArgs',
    ]) {
      expect(helm).not.toHaveProperty(key);
    }
    expect(helm.config).not.toHaveProperty('kasHeaders');
    expect(advancedSummary(advancedSettings({}))).toBe('replicas 2 (chart default)');
  });

  it('the pasteable helm command carries them (its values are the same YAML)', async () => {
    const settings = sampleSettings({ advanced: advancedSettings(await parsed(FLAGS)) });
    const text = pasteableHelmCommand({ context: 'prod', namespace: 'gitlab-agent-prod' }, sampleRelease(), helmValuesYaml(settings));
    const heredoc = text.slice(text.indexOf('\n') + 1, text.lastIndexOf('\nVALUES'));
    expect(parse(heredoc.slice(heredoc.indexOf('config:')))).toMatchObject({
      replicas: 3,
      priorityClassName: 'agent-critical',
      imagePullSecrets: [{ name: 'mirror-pull' }],
    });
    expect(text).toContain('--kas-tls-server-name=kas.gitlab.example.com');
    expect(text).toContain('Cookie: gitlab_canary=true');
  });
});

class ScriptedAsker implements Asker {
  readonly asked: string[] = [];
  constructor(private readonly answers: Record<string, string | boolean>) {}
  async ask<Q extends Question>(q: Q): Promise<AnswerOf<Q>> {
    this.asked.push(q.id);
    if (q.id in this.answers) {
      const a = this.answers[q.id]!;
      if (q.kind === 'input' && q.validate && typeof a === 'string') expect(q.validate(a), `${q.id}: ${a}`).toBeUndefined();
      return a as AnswerOf<Q>;
    }
    if (q.kind !== 'secret' && q.default !== undefined) return q.default as AnswerOf<Q>;
    throw new Error(`unscripted question ${q.id}`);
  }
}

const BASE: InstallOptions = { values: [], set: [], dryRun: false, timeoutMs: 5_000, connectTimeoutMs: 2_000 };

describe('advanced options: the interactive screen', () => {
  it('answered on the screen: the values reach helm, the review, and the equivalent command reads back as the same flags', async () => {
    const world = fastWorld();
    const asker = new ScriptedAsker({
      context: 'demo-prod',
      project: 'demo-group/infrastructure',
      agent: 'adv',
      advanced: true,
      replicas: '3',
      requests: 'cpu=100m,memory=128Mi',
      'node-selector': 'kubernetes.io/os=linux, pool=agents',
      toleration: 'dedicated=agents:NoSchedule',
      'pod-annotation': 'example.com/owner=platform',
      'kas-header': 'Cookie: a=b, c; X-Env: prod',
      'kas-tls-server-name': 'kas.example.com',
      review: 'apply',
    });
    let review = '';
    const outcome = await runInstall(BASE, createDemoPorts({ world }), {
      asker,
      emit: (e) => {
        if (e.type === 'review') review = JSON.stringify(e);
      },
      signal: new AbortController().signal,
    });
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(asker.asked).toEqual(
      expect.arrayContaining([
        'advanced',
        'replicas',
        'requests',
        'limits',
        'node-selector',
        'toleration',
        'priority-class',
        'image-pull-secret',
        'pod-label',
        'pod-annotation',
        'kas-header',
        'kas-tls-server-name',
      ]),
    );
    expect(review).toContain('replicas 3');
    expect(review).toContain('tolerations dedicated=agents:NoSchedule');
    const helm = parse(world.record.helm.find((h) => h.stdin)!.stdin!) as Record<string, unknown>;
    expect(helm).toMatchObject({
      replicas: 3,
      nodeSelector: { 'kubernetes.io/os': 'linux', pool: 'agents' },
      extraArgs: ['--kas-tls-server-name=kas.example.com'],
    });
    expect((helm.config as Record<string, unknown>).kasHeaders).toEqual(['Cookie: a=b, c', 'X-Env: prod']);

    const command = (outcome.data as { equivalentCommand: string }).equivalentCommand;
    const back = await parsed(shellWords(command).slice(1));
    expect(back).toMatchObject({
      replicas: '3',
      requests: 'cpu=100m,memory=128Mi',
      nodeSelector: ['kubernetes.io/os=linux', 'pool=agents'],
      toleration: ['dedicated=agents:NoSchedule'],
      podAnnotation: ['example.com/owner=platform'],
      kasHeader: ['Cookie: a=b, c', 'X-Env: prod'],
      kasTlsServerName: 'kas.example.com',
    });
    expect(back.limits).toBeUndefined();
  });

  it('any advanced flag answers the whole screen', async () => {
    const asker = new ScriptedAsker({ context: 'demo-prod', project: 'demo-group/infrastructure', agent: 'adv2', review: 'apply' });
    const events: unknown[] = [];
    const outcome = await runInstall({ ...BASE, replicas: '1', imagePullSecret: ['regcred'] }, createDemoPorts({ world: fastWorld() }), {
      asker,
      emit: (e) => events.push(e),
      signal: new AbortController().signal,
    });
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(asker.asked).not.toContain('advanced');
    // A pull secret is for a mirror: without one, say that the default image needs none.
    expect(JSON.stringify(events) + JSON.stringify(outcome)).toContain('--image-pull-secret without --image-repository');
  });
});

describe('advanced options: the advanced (manifests) delivery', () => {
  it('honours them in its own Deployment; our selector labels and rollout annotations win', async () => {
    const advanced = advancedSettings(await parsed(FLAGS));
    const objects = agentObjects({
      name: 'prod',
      namespace: 'gitlab-agent-prod',
      imageTag: 'v18.6.1',
      settings: sampleSettings({ advanced, rollout: { tokenId: 7 } }),
    });
    const d = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: {
        replicas: number;
        template: {
          metadata: { labels: Record<string, string>; annotations: Record<string, string> };
          spec: Record<string, unknown> & { containers: { args: string[]; resources: unknown }[] };
        };
      };
    };
    expect(d.spec.replicas).toBe(3);
    const { metadata, spec } = d.spec.template;
    expect(metadata.labels).toMatchObject({ team: 'platform', 'app.kubernetes.io/instance': 'prod' });
    expect(metadata.annotations).toEqual({ 'example.com/owner': 'platform, ops', [POD_TOKEN_ID_ANNOTATION]: '7' });
    expect(spec).toMatchObject({
      nodeSelector: { 'kubernetes.io/os': 'linux', pool: 'agents' },
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' },
        { key: 'spot', operator: 'Exists', effect: 'NoExecute' },
      ],
      priorityClassName: 'agent-critical',
      imagePullSecrets: [{ name: 'mirror-pull' }],
    });
    const c = spec.containers[0]!;
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } });
    expect(c.args).toEqual(
      expect.arrayContaining(['--kas-header', 'Cookie: gitlab_canary=true', 'X-Env: prod', '--kas-tls-server-name=kas.gitlab.example.com']),
    );
  });

  it('without them: its own defaults (2 replicas, its requests and limits)', () => {
    const objects = agentObjects({
      name: 'prod',
      namespace: 'ns',
      imageTag: 'v18.6.1',
      settings: sampleSettings({ advanced: advancedSettings({}) }),
    });
    const d = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { replicas: number; template: { spec: Record<string, unknown> & { containers: { resources: unknown }[] } } };
    };
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0]!.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    });
    expect(d.spec.template.spec).not.toHaveProperty('nodeSelector');
    expect(d.spec.template.spec).not.toHaveProperty('tolerations');
  });
});
