/** Kubernetes and GitLab naming rules, as pure checks that return the reason a value is wrong. */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 DNS label: what GitLab requires of an agent name, and Kubernetes of a namespace. */
function dnsLabelProblem(value: string, what: string): string | undefined {
  if (value.length === 0) return `${what} is empty`;
  if (value.length > 63) return `${what} has ${value.length} characters; at most 63 are allowed`;
  if (/[A-Z]/.test(value)) return `${what} must be lowercase`;
  if (/[^a-z0-9-]/.test(value)) return `${what} may contain only lowercase letters, digits and "-"`;
  if (!/^[a-z0-9]/.test(value)) return `${what} must start with a letter or digit`;
  if (!/[a-z0-9]$/.test(value)) return `${what} must end with a letter or digit`;
  return DNS_LABEL.test(value) ? undefined : `${what} is not a valid DNS label`;
}

export const agentNameProblem = (name: string) => dnsLabelProblem(name, 'agent name');
export const namespaceProblem = (name: string) => dnsLabelProblem(name, 'namespace');

/** Helm release names: DNS label rules, at most 53 characters. */
export function releaseNameProblem(name: string): string | undefined {
  const label = dnsLabelProblem(name, 'release name');
  if (label) return label;
  return name.length > 53 ? `release name has ${name.length} characters; helm allows at most 53` : undefined;
}

/** Secret names are DNS subdomains. */
export function secretNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Secret name is empty';
  if (name.length > 253) return 'Secret name is longer than 253 characters';
  return /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) ? undefined : 'Secret name may contain only lowercase letters, digits, "-" and "."';
}

/** The GitLab UI's default: gitlab-agent-<agent name cut to 50>, kept a valid label. */
export function defaultNamespace(agentName: string): string {
  return `gitlab-agent-${agentName.slice(0, 50)}`.replace(/-+$/, '');
}

/** Where our token Secret lives; one per agent so several agents can share a namespace. */
export function defaultTokenSecretName(agentName: string): string {
  return `${agentName}-agent-token`.slice(0, 253);
}

/** The chart's fullname rule (gitlab-facts §1.2): <release>-gitlab-agent unless the release already says gitlab-agent. */
export function chartFullname(release: string): string {
  const full = release.includes('gitlab-agent') ? release : `${release}-gitlab-agent`;
  return full.slice(0, 63).replace(/-+$/, '');
}

/**
 * Pods and Deployments of one release, by the chart's own labels, never a guessed name. Only the instance
 * label: `nameOverride` changes `app.kubernetes.io/name` (real-chart §3), never the release's instance.
 */
export function agentSelector(release: string): string {
  return `app.kubernetes.io/instance=${release}`;
}

/** ServiceAccount names are DNS subdomains, like Secret names. */
export function serviceAccountProblem(name: string): string | undefined {
  return secretNameProblem(name)?.replace(/^Secret name/, 'service account name');
}

/** ClusterRole names are path segments: anything but "/" and "%", and not "." or "..". */
export function clusterRoleNameProblem(name: string): string | undefined {
  if (name === '') return 'role name is empty';
  if (name.length > 253) return 'role name is longer than 253 characters';
  if (name === '.' || name === '..' || /[/%]/.test(name)) return 'role name may not be "." or "..", or contain "/" or "%"';
  return /\s/.test(name) ? 'role name may not contain spaces' : undefined;
}
