/**
 * How the objects this tool creates are marked, so later runs (status, upgrade, uninstall) know what is
 * theirs to change or remove. Written by the Kubernetes adapter, read back by discovery.
 */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'gitlab-agent-tui';
/** On our token Secret: the agent's name. */
export const AGENT_LABEL = 'gitlab-agent-tui/agent';
/** On our token Secret: which GitLab agent token it holds (the annotation glab uses too). */
export const TOKEN_ID_ANNOTATION = 'gitlab.com/agent-token-id';
/** On our token Secret: the GitLab agent id. */
export const AGENT_ID_ANNOTATION = 'gitlab-agent-tui/agent-id';
/** On our token Secret: the GitLab project the agent is registered in (id and path) and the GitLab URL. */
export const PROJECT_ID_ANNOTATION = 'gitlab-agent-tui/project-id';
export const PROJECT_PATH_ANNOTATION = 'gitlab-agent-tui/project';
export const GITLAB_URL_ANNOTATION = 'gitlab-agent-tui/gitlab-url';
/**
 * On the agent's pod template: what the pods read only at start (the token in our Secret, the KAS CA), so
 * a change rolls them through helm. The chart has no checksum for either (real-chart §3).
 */
export const POD_TOKEN_ID_ANNOTATION = 'gitlab-agent-tui/token-id';
export const POD_KAS_CA_ANNOTATION = 'gitlab-agent-tui/kas-ca-sha256';
/** Flux's helm-controller labels every object of a HelmRelease with the HelmRelease's name and namespace. */
export const FLUX_HELMRELEASE_NAME_LABEL = 'helm.toolkit.fluxcd.io/name';
export const FLUX_HELMRELEASE_NAMESPACE_LABEL = 'helm.toolkit.fluxcd.io/namespace';
