import type { render } from 'ink-testing-library';

/** Polling helpers for ink-testing-library: frames settle after a macrotask, so wait for content, never count frames. */

export type Rendered = ReturnType<typeof render>;

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  esc: '\u001B',
  ctrlC: '\u0003',
  backspace: '\u007F',
} as const;

// CSI and OSC sequences (colors, cursor moves, hyperlinks).
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The newest frame with content (Ink writes a bare newline when it unmounts), without ANSI. */
export function frame(r: Rendered): string {
  for (let i = r.frames.length - 1; i >= 0; i--) {
    const f = r.frames[i] ?? '';
    if (f.trim() !== '') return stripAnsi(f);
  }
  return '';
}

/** Every frame ever written, for "never shown" assertions. */
export function allFrames(r: Rendered): string {
  return stripAnsi(r.frames.join('\n'));
}

/** Let React's scheduler (setImmediate) and Ink's timers run. */
export async function tick(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

export async function waitFor(check: () => boolean, describe: () => string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await tick();
  }
  // One more turn so effects (useInput listeners) of the frame we saw are attached.
  await tick();
}

/** Waits until the newest frame contains `text` and returns that frame. */
export async function waitForText(r: Rendered, text: string | RegExp, timeoutMs = 5000): Promise<string> {
  const has = () => (typeof text === 'string' ? frame(r).includes(text) : text.test(frame(r)));
  await waitFor(has, () => `${String(text)} in frame:\n${frame(r)}`, timeoutMs);
  return frame(r);
}

export async function waitForNoText(r: Rendered, text: string, timeoutMs = 5000): Promise<string> {
  await waitFor(
    () => !frame(r).includes(text),
    () => `"${text}" to disappear from frame:\n${frame(r)}`,
    timeoutMs,
  );
  return frame(r);
}

export async function press(r: Rendered, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    r.stdin.write(key);
    await tick();
  }
}

/** Pretend the terminal has `rows` rows (the fake stdout has none) and tell Ink about it. */
export function setRows(r: Rendered, rows: number): void {
  Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
  r.stdout.emit('resize');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The frame as one line: box borders and wrapping removed, so wrapped text can be matched whole. */
export function squash(text: string): string {
  return text.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
}
