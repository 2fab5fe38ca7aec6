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
