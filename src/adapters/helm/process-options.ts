/** What every helm invocation shares; resolved once in createHelmPort. */
export interface HelmProcessOptions {
  /** Name looked up on env.PATH, or a path. */
  binary: string;
  /** The complete environment helm sees (not merged with process.env). */
  env: NodeJS.ProcessEnv;
  /** Time between SIGTERM and SIGKILL for helm's process group. */
  killGraceMs: number;
}

export const DEFAULT_KILL_GRACE_MS = 3000;
