export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
  /** Absent for cluster-scoped resources. */
  namespace?: string;
}

export interface AccessResult extends AccessCheck {
  allowed: boolean;
  reason?: string;
}

/** `kubectl auth can-i`, many at once (SelfSubjectAccessReview). */
export interface KubeAccess {
  canI(checks: AccessCheck[]): Promise<AccessResult[]>;
}
