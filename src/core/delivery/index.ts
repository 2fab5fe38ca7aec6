import type { Method } from '../plan/choices.js';
import type { Delivery } from './delivery.js';
import { fluxDelivery } from './flux/index.js';
import { helmDelivery } from './helm/index.js';
import { manifestsDelivery } from './manifests/index.js';
import { receptiveDelivery } from './receptive/index.js';

/** Every install method with a delivery; the method question offers these, the rest as "not available yet". */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each delivery has its own plan and state types
export const DELIVERIES: Partial<Record<Method, Delivery<any, any>>> = {
  helm: helmDelivery,
  flux: fluxDelivery,
  advanced: manifestsDelivery,
  receptive: receptiveDelivery(helmDelivery),
};

/** Methods named by --method that have no delivery yet, with why. */
export const PLANNED_METHODS: Partial<Record<Method, { label: string; why: string }>> = {};
