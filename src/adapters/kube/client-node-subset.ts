/**
 * The part of client-node this tool uses. Imported dynamically as a whole, client-node keeps every API class
 * of every group (≈15 MB of generated code, most of its import time); through named re-exports the bundler
 * drops the rest.
 */
export {
  ApisApi,
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  Observable,
  PatchStrategy,
  VersionApi,
  Watch,
} from '@kubernetes/client-node';
