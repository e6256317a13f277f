/**
 * Background threads — the ingest worker and the search-indexing thread — run at a lower CPU
 * priority than the threads that answer requests (issue 20, ADR 0030). On a machine with few
 * cores a 1,000-study ingest then takes somewhat longer, instead of every patient waiting behind
 * it; on an idle machine it changes nothing.
 *
 * Linux only: /proc/thread-self names the calling thread's own id, and setpriority() on a thread
 * id sets that one thread's nice value (the rest of the process keeps its own). Elsewhere, or where
 * it is not allowed, nothing changes and null says so.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/** The nice value of background threads (0 = as the serving threads, 19 = lowest). */
export const BACKGROUND_THREAD_NICE = 10;

/** Lowers the calling thread's priority; returns the nice value set, or null when it could not. */
export function lowerThreadPriority(nice = BACKGROUND_THREAD_NICE): number | null {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isSafeInteger(tid) || tid <= 0) return null;
    setPriority(tid, nice);
    return nice;
  } catch {
    return null;
  }
}
