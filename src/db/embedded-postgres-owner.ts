// Who runs the embedded cluster of a data directory. The process that starts the postmaster
// owns it and names itself on the postmaster's command line (`-c makenot.owner=<pid>`); it is
// alive exactly while it is still the postmaster's parent. When the owner dies, even by SIGKILL,
// the kernel gives the postmaster another parent (init or a subreaper), a process that lived
// beside the owner and so never has its pid: a reused pid cannot pass for a dead owner, and no
// lock file is left behind to clean up. Reads /proc, so Linux only.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** A custom setting PostgreSQL accepts and ignores; it only marks the postmaster's owner. */
export const OWNER_SETTING = 'makenot.owner';

export interface RunningCluster {
  /** the postmaster */
  pid: number;
  port: number;
  /** the process that started the postmaster, while it lives; undefined once it is gone */
  owner: number | undefined;
  /** from postmaster.pid: `starting`, `ready`, `stopping` */
  status: string;
}

async function parentOf(pid: number): Promise<number | undefined> {
  // "<pid> (<command>) <state> <ppid> …"; the command may itself hold spaces and parentheses.
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const ppid = Number(
    stat
      .slice(stat.lastIndexOf(')') + 1)
      .trim()
      .split(' ')[1],
  );
  return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
}

/** The postmaster serving `pgdata` and its owner, or undefined when none runs. */
export async function inspectCluster(pgdata: string): Promise<RunningCluster | undefined> {
  const content = await readFile(path.join(pgdata, 'postmaster.pid'), 'utf8').catch(() => '');
  const lines = content.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  // A stale pid file may name a pid that now belongs to another program.
  const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  if (!args.includes(pgdata)) return undefined;
  const marker = args.find((arg) => arg.startsWith(`${OWNER_SETTING}=`));
  const named = Number(marker?.slice(OWNER_SETTING.length + 1));
  const parent = await parentOf(pid);
  return {
    pid,
    port: Number(lines[3]),
    owner: Number.isInteger(named) && named === parent ? named : undefined,
    status: lines[7]?.trim() || 'starting',
  };
}
