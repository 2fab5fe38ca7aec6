import type { AccessCheck, AccessResult } from '../../core/ports/kube/index.js';
import { describeAccess } from '../../core/plan/describe-access.js';
import type { KubeApis } from './apis.js';

/**
 * `kubectl auth can-i` for a batch: one SelfSubjectAccessReview per check, all in flight together.
 * Any user may create SelfSubjectAccessReviews (system:basic-user), so a failure here is a real error.
 */
export function canI(apis: KubeApis, checks: AccessCheck[]): Promise<AccessResult[]> {
  return Promise.all(
    checks.map(async (check): Promise<AccessResult> => {
      const review = await apis.call(`check permission to ${describeAccess(check)}`, (options) =>
        apis.authz.createSelfSubjectAccessReview(
          {
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: {
                resourceAttributes: {
                  verb: check.verb,
                  group: check.group,
                  resource: check.resource,
                  ...(check.namespace ? { namespace: check.namespace } : {}),
                },
              },
            },
          },
          options,
        ),
      );
      const status = review.status;
      const allowed = status?.allowed === true && status.denied !== true;
      const reason = status?.reason || status?.evaluationError || undefined;
      return { ...check, allowed, ...(reason ? { reason } : {}) };
    }),
  );
}
