/** Local files the flows read (CA certs, values files) or write (values for GitOps). */
export interface FilesPort {
  /** Throws an Error whose message says why (missing, unreadable). */
  readText(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
  /** What is at the path: a file, a directory, or nothing. */
  kind(path: string): Promise<'file' | 'directory' | 'missing'>;
  /** Why this path could not be written (a directory, no such directory, no permission), or undefined. Creates nothing. */
  writeProblem(path: string): Promise<string | undefined>;
  writeText(path: string, content: string): Promise<void>;
  /** mkdir -p: the directory an export writes into. */
  ensureDir(path: string): Promise<void>;
  /** An append-only log (helm's full output on request); lines are buffered by the stream, not in memory. */
  openLog(path: string): Promise<LogWriter>;
  /** A gzipped tar of these text files (a support bundle), written whole, readable by its owner only. */
  writeArchive(path: string, entries: readonly ArchiveEntry[]): Promise<void>;
}

/** One file of an archive: its path inside it (relative, `/`-separated) and its text. */
export interface ArchiveEntry {
  name: string;
  content: string;
}

interface LogWriter {
  write(line: string): void;
  close(): Promise<void>;
}
