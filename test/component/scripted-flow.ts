import { CancelledError, ExitCode } from '../../src/core/kernel/errors.js';
import type { LedgerEntry } from '../../src/core/kernel/events.js';
import type { MenuEntry, RunCommand as StartFlow } from '../../src/core/commands/registry.js';
import type { FlowOutcome } from '../../src/core/kernel/outcome.js';
import type { Choice } from '../../src/core/kernel/questions.js';
import { diagnoseReadiness } from '../../src/core/readiness/diagnose.js';
import type { PodView, ReadinessSnapshot } from '../../src/core/readiness/snapshot.js';

/**
 * For rendering edge cases only: a fake flow that exercises every question kind and event type through
 * the real FlowIO contract, and records what the TUI did to it (answers, aborts, search calls). It makes
 * on demand what the real install cannot: disabled choices and live hints on one picker, a secret and a
 * search in a few steps, 220 helm lines held at a gate, a stop that takes seconds, a readiness snapshot
 * frozen for inspection, a flow that ignores the abort. What the product's install does on screen is
 * tested over the demo world, with the real flow, in install-demo.test.tsx; add behaviour tests there.
 */

export const TOKEN = 'glpat-SuperSecretToken42';
export const AGENT_ERROR = 'use lowercase letters, digits and "-", starting and ending with a letter or digit';
export const IMAGE = 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v99.0.0';
export const HELM_COMMAND =
  'helm upgrade --install gitlab-agent gitlab/gitlab-agent --namespace gitlab-agent --create-namespace --set config.secretName=gitlab-agent-token';

export function validateAgentName(value: string): string | undefined {
  if (value === '') return 'the agent name is required';
  if (value.length > 63) return 'at most 63 characters';
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(value)) return AGENT_ERROR;
  return undefined;
}

export const MENU: MenuEntry[] = [
  { id: 'install', label: 'Install', description: 'Register an agent and install it in a cluster' },
  { id: 'troubleshoot', label: 'Troubleshoot', description: 'Find out why an agent is not connected' },
  { id: 'upgrade', label: 'Upgrade', description: 'Upgrade an installed agent', unavailable: 'no agent release found in this cluster' },
  { id: 'uninstall', label: 'Uninstall', description: 'Remove the agent and revoke its token' },
  { id: 'status', label: 'Status', description: 'Show the agent and its pods' },
];

const PROJECTS: Choice[] = [
  { value: 'platform/ops', label: 'platform/ops', hint: 'Maintainer' },
  { value: 'platform/ops-archive', label: 'platform/ops-archive', disabled: 'archived' },
  { value: 'platform/opsdev', label: 'platform/opsdev', hint: 'Developer' },
  { value: 'web/site', label: 'web/site', hint: 'Owner' },
];

export interface ScriptOptions {
  readiness?: 'ready' | 'image-pull';
  helmLines?: number;
  /** Keep "helm" running, printing a line every 10 ms, until the signal aborts. */
  holdHelm?: boolean;
  /** How long stopping helm takes after an abort. */
  stopMs?: number;
  /** Awaited after the last helm line, before helm is reported done (to inspect the pane). */
  helmGate?: Promise<void>;
  /** Awaited after the last readiness snapshot, before the flow finishes (to inspect the panel). */
  readinessGate?: Promise<void>;
}

export interface ScriptRecord {
  answers: Record<string, string | boolean>;
  /** Terms `source` was called with, and how many of those calls were aborted. */
  searchTerms: string[];
  abortedSearches: number;
  hintsUnsubscribed: boolean;
  signalAborted: boolean;
  settled: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function pod(name: string, phase: string, ready: boolean, state: 'running' | 'waiting', reason?: string): PodView {
  return {
    name,
    phase,
    ready,
    deleting: false,
    conditions: [],
    containers: [
      {
        name: 'agent',
        image: IMAGE,
        ready,
        restartCount: 0,
        state,
        reason,
        message: reason === 'ImagePullBackOff' ? 'Back-off pulling image' : undefined,
      },
    ],
  };
}

const deployment = (ready: number) => ({ name: 'gitlab-agent', desired: 2, ready, available: ready, updated: 2 });

export const SNAPSHOTS = {
  waiting: {
    deployment: deployment(0),
    pods: [pod('gitlab-agent-7d9f-abcde', 'Pending', false, 'waiting', 'ContainerCreating')],
    events: [],
  },
  imagePull: {
    deployment: deployment(0),
    pods: [
      pod('gitlab-agent-7d9f-abcde', 'Pending', false, 'waiting', 'ImagePullBackOff'),
      pod('gitlab-agent-7d9f-fghij', 'Pending', false, 'waiting', 'ErrImagePull'),
    ],
    events: [],
  },
  ready: {
    deployment: deployment(2),
    pods: [pod('gitlab-agent-7d9f-abcde', 'Running', true, 'running'), pod('gitlab-agent-7d9f-fghij', 'Running', true, 'running')],
    events: [],
  },
} satisfies Record<string, ReadinessSnapshot>;

export function scriptedFlow(options: ScriptOptions = {}): { start: StartFlow; record: ScriptRecord } {
  const { readiness = 'ready', helmLines = 220, holdHelm = false, stopMs = 150, helmGate, readinessGate } = options;
  const record: ScriptRecord = {
    answers: {},
    searchTerms: [],
    abortedSearches: 0,
    hintsUnsubscribed: false,
    signalAborted: false,
    settled: false,
  };

  const start: StartFlow = async (_command, { asker, emit, signal }) => {
    signal.addEventListener('abort', () => {
      record.signalAborted = true;
    });
    const ledger: LedgerEntry[] = [];
    const add = (entry: LedgerEntry) => {
      ledger.push(entry);
      emit({ type: 'ledger', entry });
    };
    try {
      record.answers.context = await asker.ask({
        id: 'context',
        kind: 'select',
        message: 'Kubernetes context',
        flag: '--context',
        default: 'kind-dev',
        choices: [
          { value: 'kind-dev', label: 'kind-dev', hint: 'probing…' },
          { value: 'prod', label: 'prod', disabled: 'no credentials in kubeconfig' },
          { value: 'staging', label: 'staging', hint: 'probing…' },
        ],
        liveHints: (onHint) => {
          const timer = setTimeout(() => {
            onHint('kind-dev', '✓ v1.35.7');
            onHint('staging', '✗ unreachable');
          }, 30);
          return () => {
            clearTimeout(timer);
            record.hintsUnsubscribed = true;
          };
        },
      });
      record.answers.agent = await asker.ask({
        id: 'agent',
        kind: 'input',
        message: 'Agent name',
        flag: '--agent',
        default: 'gitlab-agent',
        validate: validateAgentName,
      });
      record.answers.token = await asker.ask({
        id: 'token',
        kind: 'secret',
        message: 'GitLab personal access token',
        help: 'Needs the api scope; it is used once and never stored.',
        validate: (v) => (v.length < 8 ? 'the token looks too short' : undefined),
      });
      record.answers.rbac = await asker.ask({
        id: 'rbac',
        kind: 'confirm',
        message: 'Grant the agent cluster-admin?',
        default: true,
      });
      record.answers.project = await asker.ask({
        id: 'project',
        kind: 'search',
        message: 'Agent configuration project',
        source: async (term, s) => {
          record.searchTerms.push(term);
          s.addEventListener('abort', () => {
            record.abortedSearches += 1;
          });
          await sleep(20);
          return PROJECTS.filter((p) => p.value.includes(term));
        },
      });

      emit({
        type: 'review',
        items: [
          { label: 'Context', value: String(record.answers.context) },
          { label: 'Agent', value: String(record.answers.agent) },
          { label: 'Project', value: String(record.answers.project) },
          {
            label: 'RBAC',
            value: record.answers.rbac ? 'cluster-admin' : 'namespaced',
            warning: record.answers.rbac ? 'cluster-admin grants full control of the cluster' : undefined,
          },
        ],
        command: HELM_COMMAND,
      });
      record.answers.review = await asker.ask({
        id: 'review',
        kind: 'select',
        message: 'Proceed?',
        choices: [
          { value: 'install', label: 'Install' },
          { value: 'cancel', label: 'Cancel' },
        ],
      });
      if (record.answers.review === 'cancel') throw new CancelledError();

      emit({ type: 'step', step: 'register', title: 'Register agent', status: 'running' });
      await sleep(5);
      add({ kind: 'agent', id: String(record.answers.agent), description: `in ${String(record.answers.project)}`, created: true });
      add({ kind: 'token', id: 'token-17', description: 'agent token', created: true });
      emit({ type: 'step', step: 'register', title: 'Register agent', status: 'done' });
      emit({ type: 'info', text: 'Namespace gitlab-agent already exists; reusing it' });
      add({ kind: 'namespace', id: 'gitlab-agent', description: 'namespace', created: false });
      emit({ type: 'step', step: 'ca', title: 'Custom CA certificate', status: 'skipped' });
      emit({ type: 'warn', text: 'cluster-admin requested for context kind-dev' });
      add({ kind: 'secret', id: 'gitlab-agent-token', description: 'token Secret', created: true });

      emit({ type: 'step', step: 'helm', title: 'helm upgrade --install', status: 'running', activity: 'helm' });
      if (holdHelm) {
        let i = 0;
        while (!signal.aborted) {
          i += 1;
          emit({ type: 'log', source: 'helm', line: `helm-out ${i} waiting for resources`, stream: 'stdout' });
          await sleep(10);
        }
        await sleep(stopMs); // helm gets SIGTERM and exits
        emit({ type: 'step', step: 'helm', title: 'helm upgrade --install', status: 'failed', detail: 'stopped' });
        return {
          exitCode: ExitCode.cancelled,
          headline: 'Install cancelled; helm was stopped',
          details: ['Run `gitlab-agent-tui uninstall` to remove what was created.'],
          ledger,
        };
      }
      for (let i = 1; i <= helmLines; i++) {
        emit({ type: 'log', source: 'helm', line: `helm-out ${i} applying resources`, stream: i % 50 === 0 ? 'stderr' : 'stdout' });
        if (i % 20 === 0) await sleep(2);
      }
      await helmGate;
      add({ kind: 'release', id: 'gitlab-agent', description: 'helm release in gitlab-agent', created: true });
      emit({ type: 'step', step: 'helm', title: 'helm upgrade --install', status: 'done' });

      emit({ type: 'step', step: 'ready', title: 'Wait for the agent to be ready', status: 'running' });
      emit({ type: 'readiness', snapshot: SNAPSHOTS.waiting, verdict: diagnoseReadiness(SNAPSHOTS.waiting, 1_000) });
      await sleep(150);
      const last = readiness === 'ready' ? SNAPSHOTS.ready : SNAPSHOTS.imagePull;
      const verdict = diagnoseReadiness(last, 5_000);
      emit({ type: 'readiness', snapshot: last, verdict });
      await sleep(30);
      await readinessGate;

      if (verdict.state !== 'ready') {
        emit({ type: 'step', step: 'ready', title: 'Wait for the agent to be ready', status: 'failed', detail: verdict.progress });
        const finding = verdict.findings[0];
        const outcome: FlowOutcome = {
          exitCode: ExitCode.failure,
          headline: 'The agent was installed but is not ready',
          details: finding ? [finding.summary, finding.next] : [],
          ledger,
        };
        return outcome;
      }
      emit({ type: 'step', step: 'ready', title: 'Wait for the agent to be ready', status: 'done' });
      return {
        exitCode: ExitCode.ok,
        headline: `Installed agent ${String(record.answers.agent)}`,
        details: [`agent ${String(record.answers.agent)} in ${String(record.answers.project)}`, '2/2 pods ready'],
        ledger,
      };
    } finally {
      record.settled = true;
    }
  };

  return { start, record };
}
