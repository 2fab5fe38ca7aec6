/** What the global setup put into process.env, checked once so a test never runs half-configured. */
export interface E2eEnv {
  kubeconfig: string;
  chartRepo: string;
  runDir: string;
  appBin: string;
  helm: { 3: string; 4: string };
  kubectl: string;
}

let cached: E2eEnv | undefined;

export function e2eEnv(): E2eEnv {
  if (cached) return cached;
  const need = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the e2e tests with npm run test:e2e (vitest.e2e.config.ts sets up the cluster)`);
    return value;
  };
  cached = {
    kubeconfig: need('KUBECONFIG'),
    chartRepo: need('GITLAB_AGENT_CHART_REPO'),
    runDir: need('E2E_RUN_DIR'),
    appBin: need('E2E_APP_BIN'),
    helm: { 3: need('E2E_HELM3'), 4: need('E2E_HELM4') },
    kubectl: need('E2E_KUBECTL'),
  };
  return cached;
}
