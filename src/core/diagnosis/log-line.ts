/**
 * One agentk log line, JSON or not. agentk logs JSON objects with `level`, `time`, `msg`, `error`,
 * `mod_name`, `agent_id` (zap; newer builds use upper-case slog levels); client-go writes klog lines
 * (`E0115 10:00:00.000000 1 reflector.go:539] …`); flag parsing errors are plain text.
 */
export interface LogLine {
  raw: string;
  json: boolean;
  /** lower-case: error, warn, info, debug, fatal, panic; undefined for plain text */
  level?: string;
  time?: string;
  msg?: string;
  error?: string;
  modName?: string;
  agentId?: string;
}

const KLOG = /^([IWEF])\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+\s+[^\]]+\]\s?(.*)$/;
const KLOG_LEVEL: Record<string, string> = { I: 'info', W: 'warn', E: 'error', F: 'fatal' };

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function parseLogLine(raw: string): LogLine {
  // `kubectl logs --prefix` and `--timestamps` put text before the JSON object.
  let text = raw.replace(/^\[[^\]]*\]\s+/, '').replace(/^\d{4}-\d{2}-\d{2}T\S+\s+(?=[{A-Z])/, '');
  text = text.trim();
  if (text.startsWith('{')) {
    try {
      const o = JSON.parse(text) as Record<string, unknown>;
      if (o && typeof o === 'object') {
        const line: LogLine = { raw, json: true };
        const level = str(o.level);
        if (level) line.level = level.toLowerCase() === 'warning' ? 'warn' : level.toLowerCase();
        const time = str(o.time) ?? str(o.ts);
        if (time) line.time = time;
        const msg = str(o.msg);
        if (msg !== undefined) line.msg = msg;
        const error = str(o.error);
        if (error !== undefined) line.error = error;
        const mod = str(o.mod_name);
        if (mod) line.modName = mod;
        const agentId = str(o.agent_id);
        if (agentId) line.agentId = agentId;
        return line;
      }
    } catch {
      // not JSON after all: treat as text
    }
  }
  const k = KLOG.exec(text);
  if (k) return { raw, json: false, level: KLOG_LEVEL[k[1] ?? 'I'] ?? 'info', msg: k[2] ?? '' };
  return { raw, json: false, msg: text };
}

/** The text rules match: the error field and the message (GitLab's docs match on `error`; some causes are only in `msg`). */
export function textOf(line: LogLine): string {
  return [line.msg, line.error].filter((s): s is string => s !== undefined && s !== '').join(' :: ');
}

const PLAIN_ERROR = /^(Error|error|panic|fatal|FATAL)\b|unknown (shorthand )?flag|flag provided but not defined/;

/** Only warnings and errors can be evidence of a fault; an info line mentioning "connection refused" is not. */
export function isProblemLine(line: LogLine): boolean {
  if (line.level !== undefined) return ['warn', 'error', 'fatal', 'panic', 'dpanic'].includes(line.level);
  return PLAIN_ERROR.test(line.msg ?? '');
}

/** ms since epoch, or undefined */
export function timeOf(line: LogLine): number | undefined {
  if (!line.time) return undefined;
  const t = Date.parse(line.time);
  return Number.isNaN(t) ? undefined : t;
}
