import type { ProbeFailureKind } from '../ports/kube/index.js';

/** What to do about each way a cluster can fail to answer; shared by the context probe and every API call. */
export const KUBE_FAILURE_HINTS: Record<ProbeFailureKind, string> = {
  unreachable: 'check the server address, VPN or tunnel, and that the cluster is running',
  unauthorized: 'your credentials for this context were rejected: log in again (e.g. refresh your cloud CLI session)',
  'exec-plugin': "the context's credential plugin failed: run it by hand (kubectl get ns) to see why",
  tls: "the server's certificate does not match the kubeconfig's CA",
  timeout: 'the server did not answer in time',
  other: 'run kubectl --context with the same context to see the error',
};
