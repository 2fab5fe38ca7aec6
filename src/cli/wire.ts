import type { InstallDeps } from '../core/install/deps.js';

const SECRET_ENV = ['GITLAB_TOKEN', 'GITLAB_ACCESS_TOKEN', 'OAUTH_TOKEN', 'GITLAB_PRIVATE_TOKEN'];

export function withoutGitLabSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !SECRET_ENV.includes(k)));
}

/** Real adapters, each loaded only when a command needs it (heavy client libraries load later still). */
export async function realDeps(env: NodeJS.ProcessEnv): Promise<InstallDeps> {
  const [kube, gitlab, helm, files, glab] = await Promise.all([
    import('../adapters/kube/index.js'),
    import('../adapters/gitlab/index.js'),
    import('../adapters/helm/index.js'),
    import('../adapters/files/local-files.js'),
    import('../adapters/gitlab/glab-config.js'),
  ]);
  let glabConfig: ReturnType<typeof glab.readGlabConfig> | undefined;
  return {
    kube: kube.createKubePort(),
    gitlab: gitlab.createGitLabPort(),
    // helm and its plugins never see the GitLab token.
    helm: helm.createHelmPort({ env: withoutGitLabSecrets(env) }),
    files: files.createLocalFiles(),
    glab: () => (glabConfig ??= glab.readGlabConfig(env)),
    env,
    clock: files.systemClock,
  };
}

export async function demoDeps(): Promise<InstallDeps> {
  const demo = await import('../demo/index.js');
  return demo.createDemoDeps();
}
