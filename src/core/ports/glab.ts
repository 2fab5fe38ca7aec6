import type { Secret } from '../kernel/secret.js';

/** glab's own configuration (hosts and tokens), read as glab reads it. */
export interface GlabConfig {
  /** glab's default host, when configured. */
  host?: string;
  /** The config file read, for messages about what came from it. */
  path?: string;
  tokenFor(host: string): Secret | undefined;
}
