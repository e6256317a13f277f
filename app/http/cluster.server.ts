/**
 * Several serving processes (issue 20 item 3; ADR 0022). With WEB_CONCURRENCY > 1, `npm start`'s
 * process becomes the primary: it prepares the database once, forks that many serving processes
 * (node:cluster; the primary accepts connections and hands them round-robin) and only relays and
 * supervises. They share the one SQLite file (WAL).
 *
 * - Roles: the first process is the leader and alone runs the writers and schedulers that must run
 *   once (search indexing, feed poller, status scheduler, reference reload, the operations port).
 *   Every process answers requests and runs its own ingest worker thread for the deliveries it
 *   receives (SQLite serialises writers; each record is its own savepoint).
 * - A change is seen by all at once: answer- and page-cache validity are read from the database
 *   per request; a "study changed" notice in any process (a save, an ingest chunk) is sent to the
 *   primary, which relays it to every other process, where it wakes the live hub and (in the
 *   leader) the search indexer at once. Status events written by the leader's scheduler reach the
 *   other processes' live streams by their poll of the database heads (CHANGE_POLL_MS).
 * - Shutdown: SIGTERM/SIGINT to the primary → every process shuts down gracefully (finishing its
 *   requests in flight) → the primary exits 0 when all did. A process that dies otherwise is
 *   started again in the same role.
 */
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { studyEvents } from "#app/models/study-events.server";

export type ClusterRole = "leader" | "follower";
const ROLE_ENV = "KS_CLUSTER_ROLE";

type ClusterMessage = { ks: "changed" } | { ks: "shutdown" } | { ks: "listening"; port: number };

/** This process's role: a single process (not clustered) is its own leader. */
export function clusterRole(): ClusterRole {
  return cluster.isWorker && process.env[ROLE_ENV] === "follower" ? "follower" : "leader";
}

/**
 * In a serving process of a cluster: tell the primary about every local study change, wake the
 * local listeners for changes relayed from other processes, and shut down when the primary asks.
 */
export function joinCluster(onShutdown: () => void): void {
  if (!cluster.isWorker) return;
  studyEvents().on("changed", (_id: unknown, relayed?: boolean) => {
    if (!relayed && process.connected) process.send!({ ks: "changed" } satisfies ClusterMessage);
  });
  process.on("message", (message: ClusterMessage) => {
    if (message?.ks === "changed") studyEvents().emit("changed", 0, true);
    else if (message?.ks === "shutdown") onShutdown();
  });
  // The primary went away without asking (kill -9): do not serve on as an orphan.
  process.on("disconnect", () => onShutdown());
}

/** In a serving process of a cluster: tell the primary this process listens (it announces the portal). */
export function announceListening(port: number): void {
  if (cluster.isWorker && process.connected) process.send!({ ks: "listening", port } satisfies ClusterMessage);
}

/**
 * The primary: forks `count` serving processes and supervises them; resolves never (it exits).
 * `onListening(port)` is called once, when every first serving process listens (so a client that
 * waits for it finds them all, not only the quickest to start).
 */
export function runPrimary(
  count: number,
  logger: Logger,
  sharedEnv: Record<string, string> = {},
  onListening: (port: number) => void = () => {},
): Promise<never> {
  const roles = new Map<Worker, ClusterRole>();
  let stopping = false;
  const listening = new Set<number>();
  let announced = false;
  const fork = (role: ClusterRole) => {
    const worker = cluster.fork({ ...sharedEnv, [ROLE_ENV]: role });
    roles.set(worker, role);
    worker.on("message", (message: ClusterMessage) => {
      if (message?.ks === "listening") {
        listening.add(worker.id);
        if (!announced && listening.size >= count) {
          announced = true;
          onListening(message.port);
        }
        return;
      }
      if (message?.ks !== "changed") return;
      for (const other of roles.keys()) if (other !== worker && other.isConnected()) other.send(message);
    });
  };
  cluster.on("exit", (worker, code, signal) => {
    const role = roles.get(worker);
    roles.delete(worker);
    if (stopping) {
      if (roles.size === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal, role }, "a serving process died: starting another");
    if (role) fork(role);
  });
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn(`${signal} again while shutting down: ending every serving process now`);
      for (const worker of roles.keys()) worker.process.kill("SIGKILL");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, processes: roles.size }, `${signal}: asking every serving process to finish and close`);
    for (const worker of roles.keys())
      if (worker.isConnected()) worker.send({ ks: "shutdown" } satisfies ClusterMessage);
    if (roles.size === 0) process.exit(0);
    setTimeout(() => {
      logger.error("serving processes did not finish in 40 s: ending them");
      for (const worker of roles.keys()) worker.process.kill("SIGKILL");
      process.exit(1);
    }, 40_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  logger.info({ processes: count }, `Starting ${count} serving processes (WEB_CONCURRENCY)`);
  fork("leader");
  for (let i = 1; i < count; i++) fork("follower");
  return new Promise<never>(() => {});
}
