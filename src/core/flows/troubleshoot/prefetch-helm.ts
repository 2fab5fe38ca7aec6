import type { HelmPort, HelmRelease, HelmRevision, HelmTarget } from '../../ports/helm.js';

export interface HelmPrefetch {
  /** Discovery's `helm list`, started early; it rejects as the real call would. */
  list: Promise<HelmRelease[]>;
  /** `helm history` of a release: the early one when the list showed that release not deployed, else read now. */
  history(namespace: string, release: string): Promise<HelmRevision[]>;
}

/**
 * Starts the helm reads troubleshoot will make, before it needs them: `helm list` as discovery asks it, then —
 * for the release named by --release, when the list shows it not deployed — its `helm history`. Nothing here is
 * awaited by the caller until it is needed, and an unused answer's failure is swallowed.
 */
export function prefetchHelm(
  helm: Pick<HelmPort, 'listReleases' | 'history'>,
  target: HelmTarget,
  namespace: string | undefined,
  release: string | undefined,
): HelmPrefetch {
  const list = helm.listReleases(target, namespace);
  list.catch(() => undefined);
  const history = list.then(
    (releases) => {
      const r = releases.find((x) => x.name === release && (namespace === undefined || x.namespace === namespace));
      if (!r || r.status === 'deployed') return undefined;
      const h = { ns: r.namespace, release: r.name, revisions: helm.history({ ...target, namespace: r.namespace, release: r.name }) };
      h.revisions.catch(() => undefined);
      return h;
    },
    () => undefined,
  );
  return {
    list,
    history: (ns, name) =>
      history.then((h) =>
        h && h.ns === ns && h.release === name ? h.revisions : helm.history({ ...target, namespace: ns, release: name }),
      ),
  };
}
