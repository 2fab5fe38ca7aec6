/**
 * The hardening the gitlab-agent chart leaves out (its securityContext values are empty, so Pod
 * Security "restricted" rejects or warns): agentk needs no root, no privilege, no writable root
 * filesystem and no capability. Used by the deliveries that write the pod spec or its values.
 */
export const SECURE_POD_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

export const SECURE_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
} as const;

/**
 * Pod Security labels for a namespace we create. The agent passes "restricted"; container scanning's
 * Trivy pods are not ours to vouch for, so with scanning on only "baseline" is enforced and "restricted"
 * is warned and audited.
 */
export function podSecurityLabels(settings: { secureDefaults: boolean; containerScanning: boolean }): Record<string, string> {
  if (!settings.secureDefaults) return {};
  const enforce = settings.containerScanning ? 'baseline' : 'restricted';
  return {
    'pod-security.kubernetes.io/enforce': enforce,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/audit': 'restricted',
  };
}
