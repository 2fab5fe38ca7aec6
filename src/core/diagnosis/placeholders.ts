import type { DiagnosisContext } from './evidence.js';

/**
 * Fills `<name>` placeholders in a fix from what the diagnosis knows. Unknown ones stay as they are, so
 * the user sees what to put there (`<file>`, `<token>` are never filled: a fix never carries a secret).
 */
export function fill(template: string, context: DiagnosisContext, extra: Record<string, string | undefined> = {}): string {
  const known: Record<string, string | undefined> = {
    namespace: context.namespace,
    release: context.release,
    agent: context.agentName,
    project: context.projectPath,
    context: context.kubeContext,
    gitlab: context.gitlabUrl,
    ...extra,
  };
  return template.replace(/<([a-z][a-z0-9-]*)>/g, (whole, key: string) => {
    const value = known[key];
    return value === undefined || value === '' ? whole : value;
  });
}
