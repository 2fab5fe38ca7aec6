/** Where the kubeconfig comes from: --kubeconfig wins, else KUBECONFIG (several files), else ~/.kube/config. */
export interface KubeConfigSource {
  kubeconfig?: string;
}

export interface KubeContextInfo {
  name: string;
  cluster: string;
  server: string;
  user: string;
  namespace?: string;
  current: boolean;
}

export type ProbeFailureKind = 'unreachable' | 'unauthorized' | 'exec-plugin' | 'tls' | 'timeout' | 'other';

export type ProbeResult =
  { ok: true; serverVersion: string; elapsedMs: number } | { ok: false; kind: ProbeFailureKind; message: string; elapsedMs: number };
