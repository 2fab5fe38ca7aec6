import { structuredPatch } from 'diff';
import { objectKey, objectYaml, type ManifestObject } from './manifest.js';

/** Lines of context around each change: enough to see which container or key it is in. */
const CONTEXT = 3;

const describe = (o: ManifestObject, namespace: string) => `${o.kind} ${o.metadata.namespace ?? namespace}/${o.metadata.name}`;

/**
 * What the chart will change in the cluster, object by object: "+ Kind ns/name" for a new object,
 * "- Kind ns/name" for one that goes away, and for a changed one "~ Kind ns/name" with the unified
 * hunks of its YAML (keys sorted, so helm's ordering never shows as a change). Secret data is masked.
 * `namespace` stands in for objects rendered without one (helm fills in the release namespace).
 */
export function manifestDiff(current: ManifestObject[], target: ManifestObject[], namespace: string): string[] {
  const before = new Map(current.map((o) => [objectKey(o, namespace), o]));
  const after = new Map(target.map((o) => [objectKey(o, namespace), o]));
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a.localeCompare(b));
  const lines: string[] = [];
  for (const key of keys) {
    const was = before.get(key);
    const now = after.get(key);
    if (!was && now) lines.push(`+ ${describe(now, namespace)} (new)`);
    else if (was && !now) lines.push(`- ${describe(was, namespace)} (removed)`);
    else if (was && now) {
      const patch = structuredPatch(key, key, objectYaml(was), objectYaml(now), undefined, undefined, { context: CONTEXT });
      if (patch.hunks.length === 0) continue;
      lines.push(`~ ${describe(now, namespace)}`);
      for (const hunk of patch.hunks) {
        lines.push(`  @@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
        for (const l of hunk.lines) if (!l.startsWith('\\')) lines.push(`  ${l}`);
      }
    }
  }
  return lines;
}
