import type * as ClientNodeModule from '@kubernetes/client-node';
import type * as ClientNodeSubset from './client-node-subset.js';

export type ClientNode = typeof ClientNodeSubset;
export type KubeConfig = ClientNodeModule.KubeConfig;
/** Per-call options (the Observable flavour the object-parameter APIs take). */
export type CallOptions = ClientNodeModule.ConfigurationOptions;

let loading: Promise<ClientNode> | undefined;

/**
 * client-node costs 0.6–0.9 s to import and pulls in undici, so it is loaded on first use only:
 * `--help`, listContexts and everything before the cluster step never pay for it.
 */
export function loadClientNode(): Promise<ClientNode> {
  loading ??= import('./client-node-subset.js');
  return loading;
}
