import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** After SIGKILL the kernel needs a moment; past this we stop waiting rather than hang the UI. */
const AFTER_SIGKILL_WAIT_MS = 1000;
const POLL_MS = 25;

/** Sends `signal` to every process in group `pgid`; false when the group is already gone. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    return process.kill(-pgid, signal);
  } catch {
    return false;
  }
}

/**
 * True while a process in group `pgid` still runs. Zombies do not count: in containers whose
 * PID 1 never reaps, a killed orphan stays a zombie in the group forever.
 */
async function groupHasLiveMembers(pgid: number): Promise<boolean> {
  if (process.platform === 'win32') return false; // no process groups; execa uses taskkill /T there
  try {
    process.kill(-pgid, 0);
  } catch {
    // ESRCH: group empty. EPERM: members exist but are not ours to signal, so waiting is pointless.
    return false;
  }
  return process.platform === 'linux' ? linuxGroupHasLiveMember(pgid) : true;
}

async function linuxGroupHasLiveMember(pgid: number): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return true; // no /proc: trust kill(-pgid, 0)
  }
  const states = await Promise.all(entries.filter((name) => /^\d+$/.test(name)).map((pid) => readStat(pid)));
  return states.some((stat) => stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X');
}

async function readStat(pid: string): Promise<{ state: string; pgrp: number } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp …"; comm may contain spaces and ')', so cut at the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return undefined; // exited while we looked
  }
}

/**
 * Waits until group `pgid` has no live member. At `killAt` (epoch ms) it SIGKILLs the group,
 * then waits briefly once more and gives up, so a cancel never hangs.
 */
export async function awaitGroupGone(pgid: number, killAt: number): Promise<void> {
  let deadline = killAt;
  let killed = false;
  while (await groupHasLiveMembers(pgid)) {
    if (Date.now() >= deadline) {
      if (killed) return;
      signalGroup(pgid, 'SIGKILL');
      killed = true;
      deadline = Date.now() + AFTER_SIGKILL_WAIT_MS;
    }
    await sleep(POLL_MS);
  }
}
