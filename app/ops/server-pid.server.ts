/**
 * "<DATABASE_PATH>.server.json": which process serves this database (pid, port, start time).
 * Written by server.ts once it listens, removed when it shuts down (and on exit). `npm run
 * db:restore` reads it to refuse replacing a database a running server holds: SQLite cannot tell
 * another process that its file was swapped, and a server writing into a replaced (unlinked) file
 * loses every write. A file left by a crash is recognised as stale (no such process).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface ServerPid {
  pid: number;
  port: number | null;
  startedAt: string;
}

export function serverPidFile(databasePath: string): string {
  return `${path.resolve(databasePath)}.server.json`;
}

export function writeServerPid(databasePath: string, info: ServerPid): void {
  writeFileSync(serverPidFile(databasePath), JSON.stringify(info) + "\n");
}

export function removeServerPid(databasePath: string, pid = process.pid): void {
  // Only our own: a second server on the same file (a mistake) must not erase the first's record.
  if (readServerPid(databasePath)?.pid === pid) rmSync(serverPidFile(databasePath), { force: true });
}

export function readServerPid(databasePath: string): ServerPid | null {
  try {
    const info = JSON.parse(readFileSync(serverPidFile(databasePath), "utf8")) as ServerPid;
    return Number.isInteger(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** The running server holding this database, or null (none recorded, or the process is gone). */
export function runningServer(databasePath: string): ServerPid | null {
  const info = readServerPid(databasePath);
  if (!info) return null;
  try {
    process.kill(info.pid, 0);
    return info;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still running.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? info : null;
  }
}
