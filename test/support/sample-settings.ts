import type { AgentSettings } from '../../src/core/plan/agent-settings.js';
import type { HelmReleasePlan } from '../../src/core/plan/helm/release-plan.js';

/** The settings of a plain Helm install (chart defaults, our token Secret), for plan-level tests. */
export function sampleSettings(overrides: Partial<AgentSettings> = {}): AgentSettings {
  return {
    kasAddress: 'wss://gitlab.example.com/-/kubernetes-agent/',
    image: {},
    proxy: {},
    rbac: { mode: 'cluster-admin' },
    containerScanning: true,
    secureDefaults: false,
    tokenSecret: { name: 'prod-agent-token', own: false },
    createConfig: 'none',
    ...overrides,
  };
}

export function sampleRelease(overrides: Partial<HelmReleasePlan> = {}): HelmReleasePlan {
  return {
    release: 'prod',
    chart: { kind: 'repo', repo: 'https://charts.gitlab.io', name: 'gitlab-agent' },
    valuesFiles: [],
    sets: [],
    setStrings: [],
    ...overrides,
  };
}
