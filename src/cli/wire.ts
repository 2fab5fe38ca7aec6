import type { Ports } from '../core/ports/index.js';
import { withoutGitLabSecrets } from '../core/options/environment.js';

/** Real adapters, each loaded only when a command needs it (heavy client libraries load later still). */
export async function realPorts(env: NodeJS.ProcessEnv): Promise<Ports> {
  const [kube, gitlab, helm, files, glab, clock, network] = await Promise.all([
    import('../adapters/kube/index.js'),
    import('../adapters/gitlab/index.js'),
    import('../adapters/helm/index.js'),
    import('../adapters/files/local-files.js'),
    import('../adapters/gitlab/glab-config.js'),
    import('../adapters/clock.js'),
    import('../adapters/network/kas-probe.js'),
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
    clock: clock.systemClock,
    network: network.createNetworkPort(),
  };
}

export async function demoPorts(): Promise<Ports> {
  const demo = await import('../demo/index.js');
  // The demo shows one broken install too, for Troubleshoot.
  return demo.createDemoPorts({ world: demo.createDemoWorld({ brokenInstall: true }) });
}
