/**
 * What one check concluded about one broken (or healthy) agent install.
 *
 * ## Ids
 * A check id is `PREFIX-TOPIC` (upper case, hyphens), where PREFIX names where the evidence came from:
 * `GL` GitLab API, `FLX` Flux objects, `WL` Kubernetes workload, `AGK` agentk's own log lines,
 * `NET` verification from this machine (DNS, TCP, TLS, WebSocket upgrade, address/proxy/version
 * comparisons). A finding's id is its check id when the check passed or was skipped (`GL-TOKEN`), and the
 * check id plus a suffix naming the problem otherwise (`GL-TOKEN-INVALID`, `AGK-X509-CA`). The agentk
 * log check is `AGK`, so its findings carry the class ids of troubleshoot.md §1.3 (`AGK-DNS`, `AGK-UNAUTH`).
 * An id names the rule, not the instance: two failing Kustomizations both give `FLX-KUSTOMIZATION-FAILED`,
 * told apart by `subject`. Ids are never renamed or reused; a retired id stays reserved.
 *
 * ## Categories (stable vocabulary; never rename one, only add)
 * | category | meaning | typical fix |
 * |---|---|---|
 * | `healthy` | the check passed | — |
 * | `not-checked` | (added) the check was skipped: a fatal check it depends on failed, or it does not apply | — |
 * | `gitlab-unreachable` | the GitLab instance does not answer (DNS, TLS, network) | fix the URL, `--gitlab-ca <file>`, network |
 * | `gitlab-token-invalid` | GitLab rejects the user's token (unknown, revoked, expired) | a new token with scope `api` |
 * | `gitlab-token-scope` | the user's token lacks `api`/`read_api` | a token with scope `api` |
 * | `agent-not-registered` | no agent of that name in the project, or KAS does not know the agent | `gitlab-agent-tui install --project <project> --agent <agent>` |
 * | `agent-token-revoked` | the token in the Secret was revoked in GitLab | new token into the Secret, restart pods |
 * | `kas-disabled` | the instance has KAS (agent server) turned off | admin enables `gitlab_kas['enable']` |
 * | `agent-config-invalid` | `.gitlab/agents/<agent>/config.yaml` unparsable or uses removed keys (`gitops:`) | fix or remove the keys |
 * | `flux-not-installed` | the install is Flux-managed but Flux CRDs/controllers are missing or not ready | `flux check`, `flux install` |
 * | `flux-source-failed` | GitRepository, HelmRepository or HelmChart not Ready | the condition message (auth, URL, chart version) |
 * | `flux-path-mismatch` | the agent's manifests are not under the Kustomization's `spec.path` (or branch) | `glab … --manifest-path` = `flux bootstrap --path` |
 * | `flux-root-without-kustomization` | Flux builds the repo root without kustomization.yaml and chokes on `.gitlab/agents/<agent>/config.yaml` | point Flux at a subdirectory |
 * | `flux-kustomization-failed` | (added) a Kustomization fails for another reason (build, health check, dependency) | the condition message |
 * | `flux-helmrelease-failed` | the agent's HelmRelease is not Ready (install/upgrade failed, stalled) | fix the cause, `flux reconcile hr <name> --reset` |
 * | `flux-suspended` | (added) the Kustomization or HelmRelease is suspended: changes are not applied | `flux resume …` |
 * | `release-failed` | the helm release is failed or stuck pending-install/upgrade/rollback | fix the cause, upgrade again or `helm rollback` |
 * | `token-secret-missing` | the token Secret (or its key `token`) does not exist | `kubectl -n <namespace> create secret generic <secret> --from-file=token=<file>` |
 * | `image-pull` | the agentk image cannot be pulled | `--image-tag` (with `v`), registry access, pull secret |
 * | `crash-loop` | agentk exits repeatedly (see its previous log) | the cause in the previous log |
 * | `oom-killed` | agentk is killed for exceeding its memory limit | raise `resources.limits.memory` |
 * | `unschedulable` | no node can run the pod | the scheduler message (capacity, taints, selectors) |
 * | `pod-security-rejected` | Pod Security admission rejects the pods | `securityContext` values or the namespace's PSA label |
 * | `pod-create-rejected` | (added) pod creation rejected otherwise (quota, webhook, missing ServiceAccount) | the FailedCreate message |
 * | `container-config-error` | (added) a Secret/ConfigMap/key the pod needs (env, CA ConfigMap) is missing | create it or fix the reference |
 * | `rollout-stalled` | (added) the Deployment is not available and nothing more specific explains it | wait, or read the pods |
 * | `agent-args-invalid` | (added) agentk rejects its command line (e.g. `--ca-cert-file`, removed in 17.0) | `config.kasCaCert` / remove the arg |
 * | `agent-rbac-insufficient` | the agent's ServiceAccount is forbidden to do what agentk needs | bind a Role/ClusterRole granting it |
 * | `kas-dns` | the KAS host does not resolve | fix `--kas-address`, `hostAliases`, cluster DNS |
 * | `kas-refused` | nothing listens at the KAS address | the address from `/metadata` |
 * | `kas-timeout` | the KAS address times out or has no route (egress blocked, proxy needed) | open egress, set `HTTPS_PROXY` |
 * | `kas-redirect` | the WebSocket URL path is wrong: a redirect (missing trailing slash, http→https) or 404 | `wss://<host>/-/kubernetes-agent/` |
 * | `kas-scheme-mismatch` | agentk and the endpoint speak different protocols (wss vs grpcs, TLS vs plain) | the scheme `/metadata` advertises |
 * | `kas-address-mismatch` | (added) the Deployment's `--kas-address` host/port differs from `/metadata` `kas.externalUrl` | upgrade with the advertised address |
 * | `kas-tls-untrusted-ca` | KAS's certificate is signed by a CA agentk does not trust | upgrade with `config.kasCaCert` |
 * | `kas-tls-name-mismatch` | KAS's certificate does not name the host agentk dials | use a name in the SANs, or `--kas-tls-server-name` |
 * | `kas-tls-expired` | KAS's certificate is expired or not yet valid (or the clock is off) | renew it, fix NTP |
 * | `proxy-error` | the configured proxy fails or is misconfigured | fix `HTTPS_PROXY`/`NO_PROXY` |
 * | `websocket-blocked` | something in front of KAS refuses the WebSocket upgrade (200/400/403/426…) | let Upgrade headers through, or `grpcs://` |
 * | `token-rejected` | KAS/GitLab rejects the agent's token (Unauthenticated, PermissionDenied, another agent's token) | a new token for this agent |
 * | `version-skew` | agentk and GitLab/KAS are more than one minor apart, or agentk logs skew errors | `--image-tag v<major>.<minor>.<patch>` |
 * | `kas-unavailable` | agentk reaches KAS, but KAS (or GitLab behind it) fails | an admin checks `gitlab-kas` |
 * | `not-the-agent` | the agent is fine; the fault is elsewhere (e.g. RBAC of an impersonated CI job or user) | grant that identity the RBAC |
 */

export const LAYERS = ['gitlab', 'flux', 'workload', 'connection'] as const;
export type Layer = (typeof LAYERS)[number];

export const STATUSES = ['ok', 'warn', 'fail', 'skip'] as const;
export type Status = (typeof STATUSES)[number];

export const CATEGORIES = [
  'healthy',
  'gitlab-unreachable',
  'gitlab-token-invalid',
  'gitlab-token-scope',
  'agent-not-registered',
  'agent-token-revoked',
  'kas-disabled',
  'agent-config-invalid',
  'flux-not-installed',
  'flux-source-failed',
  'flux-path-mismatch',
  'flux-root-without-kustomization',
  'flux-helmrelease-failed',
  'release-failed',
  'token-secret-missing',
  'image-pull',
  'crash-loop',
  'oom-killed',
  'unschedulable',
  'pod-security-rejected',
  'agent-rbac-insufficient',
  'kas-dns',
  'kas-refused',
  'kas-timeout',
  'kas-redirect',
  'kas-scheme-mismatch',
  'kas-tls-untrusted-ca',
  'kas-tls-name-mismatch',
  'kas-tls-expired',
  'proxy-error',
  'websocket-blocked',
  'token-rejected',
  'version-skew',
  'kas-unavailable',
  'not-the-agent',
  // Added (see the table above); appended so the vocabulary keeps its order.
  'not-checked',
  'flux-kustomization-failed',
  'flux-suspended',
  'rollout-stalled',
  'pod-create-rejected',
  'container-config-error',
  'agent-args-invalid',
  'kas-address-mismatch',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The object a finding is about, for the JSON output and a "fix it" front end. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export interface Finding {
  id: string;
  layer: Layer;
  status: Status;
  category: Category;
  title: string;
  /** Verbatim: the log line, condition reason/message or event text the verdict rests on. */
  evidence: string[];
  /** One sentence. */
  cause: string;
  /** A concrete command or value; placeholders such as <namespace> are filled when the context knows them. */
  fix: string;
  docsUrl: string;
  subject?: ObjectRef;
  /**
   * This failure is normally the consequence of another one (a HelmRelease that timed out waiting for
   * pods, a crash loop whose log names the cause): rootCause prefers any failure that is not a symptom.
   */
  symptom?: boolean;
}

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
