import { Secret } from '../core/kernel/secret.js';
import { DEMO_CA_PATH, DEMO_CA_PEM } from './demo-ca.js';
import { CHART_DEFAULTS, DEMO_CHART, mergeValues } from './release-values.js';
import type { DemoTime } from './time.js';
import type { Values } from './release-values.js';
import type { DemoCluster, DemoGitLab, DemoNamespace, DemoProject, DemoRelease } from './types.js';

/** What the demo starts with: three clusters, one GitLab with two projects and an agent already in use. */

export const DEMO_GITLAB_URL = 'https://gitlab.example.com';
const DEMO_KAS_URL = 'wss://gitlab.example.com/-/kubernetes-agent/';
const DEMO_SERVER_VERSION = 'v1.35.7';
/** The value of every agent token the simulated GitLab mints. */
export const DEMO_AGENT_TOKEN = 'glagent-demo-fake-token-not-real';

const DAY_MS = 86_400_000;
const OFFLINE_IP = '10.0.42.1';

function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString();
}

function namespaces(...names: string[]): Map<string, DemoNamespace> {
  return new Map(['default', 'kube-system', 'kube-public', 'kube-node-lease', ...names].map((n) => [n, { secrets: new Map() }]));
}

/** What the staging release was installed with (`helm get values`). */
const STAGING_VALUES = { config: { kasAddress: DEMO_KAS_URL, secretName: 'staging-agent-token' }, image: { tag: 'v18.6.0' } };

export function seedClusters(time: DemoTime): Map<string, DemoCluster> {
  const prod: DemoCluster = {
    info: { name: 'demo-prod', cluster: 'prod', server: 'https://prod.k8s.example:6443', user: 'demo-admin', current: true },
    serverVersion: DEMO_SERVER_VERSION,
    namespaces: namespaces('monitoring', 'ingress-nginx'),
    releases: [],
  };

  // Staging already runs agent "staging" (release 3), connected with token 32.
  const staging: DemoCluster = {
    info: {
      name: 'demo-staging',
      cluster: 'staging',
      server: 'https://staging.k8s.example:6443',
      user: 'demo-admin',
      namespace: 'apps',
      current: false,
    },
    serverVersion: DEMO_SERVER_VERSION,
    namespaces: namespaces('apps', 'gitlab-agent-staging'),
    releases: [
      {
        name: 'staging',
        namespace: 'gitlab-agent-staging',
        revisions: [
          {
            revision: 3,
            deployedAt: time.now() - 7 * DAY_MS,
            values: mergeValues(CHART_DEFAULTS, STAGING_VALUES),
            userValues: STAGING_VALUES,
            status: 'deployed',
            chartVersion: DEMO_CHART.version,
            appVersion: DEMO_CHART.appVersion,
          },
        ],
      },
    ],
  };
  staging.namespaces.get('gitlab-agent-staging')!.secrets.set('staging-agent-token', {
    token: new Secret(DEMO_AGENT_TOKEN),
    tokenId: 32,
    managedByUs: true,
    agentId: 17,
    agentName: 'staging',
    registration: { gitlabUrl: DEMO_GITLAB_URL, projectId: 42, projectPath: 'demo-group/infrastructure' },
  });

  const offline: DemoCluster = {
    info: { name: 'demo-offline', cluster: 'lab', server: `https://${OFFLINE_IP}:6443`, user: 'lab-admin', current: false },
    unreachable: `connect ECONNREFUSED ${OFFLINE_IP}:6443`,
    serverVersion: DEMO_SERVER_VERSION,
    namespaces: namespaces(),
    releases: [],
  };
  return new Map([prod, staging, offline].map((c) => [c.info.name, c]));
}

/**
 * The demo's broken install, for `npm run demo` only (tests keep the plain seed): release "legacy" in
 * demo-staging, installed by hand a month ago with `config.secretName` naming a Secret someone deleted
 * since. Its pods wait in ContainerCreating with FailedMount: what Troubleshoot is for.
 */
export function seedBrokenInstall(clusters: Map<string, DemoCluster>, time: DemoTime): void {
  const staging = clusters.get('demo-staging');
  if (!staging) return;
  staging.namespaces.set('gitlab-agent-legacy', { secrets: new Map() });
  staging.releases.push(
    deployedRelease(
      time,
      'legacy',
      'gitlab-agent-legacy',
      { config: { kasAddress: DEMO_KAS_URL, secretName: 'legacy-agent-token' }, image: { tag: 'v18.6.0' } },
      30 * DAY_MS,
    ),
  );
}

export interface DemoProjectSpec {
  id: number;
  /** group/project */
  path: string;
  name?: string;
  /** GitLab's access level of demo-user: 30 Developer, 40 Maintainer (default), 50 Owner. */
  accessLevel?: number;
}

/** A project on branch main holding only a README (tests build a GitLab with their own projects from it). */
export function demoProject(spec: DemoProjectSpec): DemoProject {
  const name = spec.name ?? spec.path.split('/').at(-1)!;
  return {
    id: spec.id,
    path: spec.path,
    name,
    defaultBranch: 'main',
    accessLevel: spec.accessLevel ?? 40,
    files: new Map([['main', new Map([['README.md', `# ${name}\n`]])]]),
  };
}

/**
 * A release some earlier `helm install` left `ageMs` demo ms ago (its pods long Ready), for tests that need
 * another installation in a cluster. Add it with the namespace: `cluster.releases.push(...)`.
 */
export function deployedRelease(time: DemoTime, name: string, namespace: string, userValues: Values, ageMs = 7 * DAY_MS): DemoRelease {
  return {
    name,
    namespace,
    revisions: [
      {
        revision: 1,
        deployedAt: time.now() - ageMs,
        values: mergeValues(CHART_DEFAULTS, userValues),
        userValues,
        status: 'deployed',
        chartVersion: DEMO_CHART.version,
        appVersion: DEMO_CHART.appVersion,
      },
    ],
  };
}

export function seedGitLab(): DemoGitLab {
  const infrastructure = demoProject({ id: 42, path: 'demo-group/infrastructure', name: 'Infrastructure' });
  infrastructure.files.get('main')!.set('.gitlab/agents/staging/config.yaml', 'ci_access:\n  projects:\n    - id: demo-group/apps\n');
  return {
    user: { id: 7, username: 'demo-user', name: 'Demo User' },
    metadata: {
      version: '18.6.1-ee',
      enterprise: true,
      kas: { enabled: true, externalUrl: DEMO_KAS_URL, version: '18.6.1' },
    },
    scopes: ['api', 'read_user'],
    projects: [infrastructure, demoProject({ id: 43, path: 'demo-group/apps', name: 'Apps' })],
    agents: [{ id: 17, projectId: 42, name: 'staging', createdAt: daysAgo(120) }],
    // Two active tokens (GitLab's limit): installing "staging" elsewhere must ask which one to revoke.
    tokens: [
      {
        id: 31,
        agentId: 17,
        name: 'staging-2025',
        description: 'first install, old cluster',
        status: 'active',
        createdAt: daysAgo(120),
        lastUsedAt: daysAgo(45),
      },
      {
        id: 32,
        agentId: 17,
        name: 'gitlab-agent-tui-staging',
        description: 'Created by gitlab-agent-tui for demo-staging/gitlab-agent-staging',
        status: 'active',
        createdAt: daysAgo(30),
        lastUsedAt: daysAgo(0),
      },
    ],
    nextAgentId: 18,
    nextTokenId: 33,
  };
}

export function seedFiles(): Map<string, string> {
  return new Map([[DEMO_CA_PATH, DEMO_CA_PEM]]);
}
