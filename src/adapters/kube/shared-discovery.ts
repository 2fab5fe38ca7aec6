import type { KubernetesObjectApi } from '@kubernetes/client-node';

/** KubernetesObjectApi.resource: protected in its types, public at run time; it caches per apiVersion. */
type Lookup = (apiVersion: string, kind: string, options?: unknown) => Promise<unknown>;
const lookupOf = (objects: KubernetesObjectApi) => objects as unknown as { resource: Lookup };

/**
 * client-node's generic object API looks up the resource of an apiVersion (GET /api/v1, /apis/apps/v1) before
 * every first read of it and caches the answer only once it has arrived, so reads started together each fetch
 * it. This makes them share the one in flight; a failed lookup is tried again by the next read, and so is one
 * that has not answered within `timeoutMs` (the lookup takes no signal: one that hangs — a warm-up no read bounds —
 * must not hold every later read of that apiVersion until its deadline).
 */
export function sharedDiscovery(objects: KubernetesObjectApi, timeoutMs: number): KubernetesObjectApi {
  const target = lookupOf(objects);
  const original = target.resource.bind(objects);
  const inFlight = new Map<string, Promise<unknown>>();
  target.resource = async (apiVersion, kind, options) => {
    const first = inFlight.get(apiVersion);
    if (first) {
      await first.catch(() => undefined);
      return original(apiVersion, kind, options);
    }
    const lookup = original(apiVersion, kind, options);
    inFlight.set(apiVersion, lookup);
    const forget = () => {
      if (inFlight.get(apiVersion) === lookup) inFlight.delete(apiVersion);
    };
    const stale = setTimeout(forget, timeoutMs);
    stale.unref();
    lookup.then(
      () => clearTimeout(stale),
      () => {
        clearTimeout(stale);
        forget();
      },
    );
    return lookup;
  };
  return objects;
}

/** Starts the lookup of a kind's resource without waiting for it (a failure is left to the read that needs it). */
export function warmLookup(objects: KubernetesObjectApi, apiVersion: string, kind: string): void {
  lookupOf(objects)
    .resource(apiVersion, kind)
    .catch(() => undefined);
}
