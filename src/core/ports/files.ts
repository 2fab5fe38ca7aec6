/** Local files the flows read (CA certs, values files) or write (values for GitOps). */
export interface FilesPort {
  /** Throws an Error whose message says why (missing, unreadable). */
  readText(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
  writeText(path: string, content: string): Promise<void>;
}

export interface GlabConfig {
  /** glab's default host, when configured. */
  host?: string;
  tokenFor(host: string): import('../secret.js').Secret | undefined;
}

export interface Clock {
  now(): number;
  /** Rejects with CancelledError when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}
