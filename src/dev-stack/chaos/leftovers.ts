/**
 * Proof that a run left nothing behind: every process it started leads a process group of its own
 * (engine processes belong to the fleet daemon's group), so once everything is stopped no live
 * process may remain in any of those groups. Read from /proc, as `ps -g` would; elsewhere nothing
 * can be checked and nothing is reported.
 */
import fs from 'node:fs';
import { sleep } from './time';

/** Live processes still in any of the groups after up to `graceMs` (a killed process takes a moment to go). */
export async function survivorsOf(groups: number[], graceMs = 5_000): Promise<number[]> {
  const wanted = new Set(groups);
  const deadline = Date.now() + graceMs;
  for (;;) {
    const survivors = liveProcesses().filter((process) => wanted.has(process.pgid));
    if (survivors.length === 0 || Date.now() >= deadline) return survivors.map((process) => process.pid);
    await sleep(200);
  }
}

function liveProcesses(): { pid: number; pgid: number }[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name: state, ppid, pgrp, ...; a zombie (Z) is gone but for its exit status.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return state === 'Z' ? [] : [{ pid: Number(entry), pgid: Number(pgrp) }];
    } catch {
      return []; // exited while we looked
    }
  });
}
