// Matches CSI/OSC escape sequences and other C0 controls that would move the cursor or recolor the pane.
const CONTROL = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-Z\\-_]|[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** One helm output line made safe for a single terminal row: no escapes, no tabs, no CR. */
export function sanitizeLine(line: string): string {
  return line.replace(/\t/g, '  ').replace(/\r?\n$/, '').replace(CONTROL, '');
}
