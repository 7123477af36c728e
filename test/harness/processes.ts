/** What is running, read from /proc (as `ps` would), for tests that must prove they left nothing behind. */
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';

/** Every live process whose process group is `pgid` (as `ps -g` would). */
export function processesInGroup(pgid: number): number[] {
  return livePids().filter((pid) => statFields(pid)?.[2] === String(pgid));
}

/** Live children of `pid` (as `ps --ppid` would). */
export function childrenOf(pid: number): number[] {
  return livePids().filter((candidate) => statFields(candidate)?.[1] === String(pid));
}

export function isAlive(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== undefined && fields[0] !== 'Z';
}

function livePids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter(isAlive);
}

/** Fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, ... */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Waits for a line of a child's output matching `pattern`; fails early when the child exits first. */
export async function waitForLine(
  lines: string[],
  pattern: RegExp,
  child: ChildProcess,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = lines.find((line) => pattern.test(line));
    if (hit) return hit;
    if (child.exitCode !== null) throw new Error(`the command exited early:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`);
}
