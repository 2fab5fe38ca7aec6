/**
 * Any Kubernetes object by apiVersion and kind (Flux's custom resources, the advanced install's manifests,
 * a Deployment's spec): read, listed, applied server-side, patched. Never a Secret that holds a token:
 * those go through KubeSecrets only, whose values never leave the adapter.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    generation?: number;
    resourceVersion?: string;
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Objects of one kind in one namespace (optionally by label). */
export interface ObjectQuery {
  apiVersion: string;
  kind: string;
  namespace: string;
  labelSelector?: string;
}

export interface KubeObjects {
  /**
   * Start looking up these kinds' resources now (one GET per apiVersion, not awaited), so the reads that follow
   * do not wait for it; where there is nothing to look up (the demo), absent.
   */
  warmDiscovery?(kinds: { apiVersion: string; kind: string }[]): void;
  /** The versions the API server serves for a group (e.g. "helm.toolkit.fluxcd.io"), preferred first; [] when it serves none. */
  servedVersions(group: string): Promise<string[]>;
  /** undefined when it does not exist. */
  getObject(ref: ObjectRef): Promise<KubeObject | undefined>;
  listObjects(query: { apiVersion: string; kind: string; namespace?: string; labelSelector?: string }): Promise<KubeObject[]>;
  /**
   * Server-side apply: creates the object or updates the fields `fieldManager` owns. With `dryRun` the API
   * server validates and admits it (webhooks, Pod Security) without storing anything.
   */
  applyObject(object: KubeObject, options: { fieldManager: string; dryRun?: boolean; force?: boolean }): Promise<KubeObject>;
  /** A JSON merge patch, e.g. an annotation that asks Flux to reconcile now. */
  patchObject(ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject>;
  /**
   * Watch (never poll) the objects a query selects: onChange gets the whole current set after the first
   * list and after every change. Resolves when signal aborts; survives disconnects (resume, relist on 410).
   */
  watchObjects(query: ObjectQuery, onChange: (objects: KubeObject[]) => void, signal: AbortSignal): Promise<void>;
  /** Idempotent: a missing object is fine. */
  deleteObject(ref: ObjectRef): Promise<void>;
}
