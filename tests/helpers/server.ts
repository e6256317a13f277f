/**
 * Starts the real built server (server.ts via tsx, build/ from `remix build`) as a child process
 * on a free port with its own database file, and talks to it over real HTTP.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface RunningServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

/**
 * `node --import tsx server.ts`, one process — not the `tsx` CLI, which runs the server as its
 * child and, when it relays SIGTERM, SIGKILLs that child if it has not acknowledged the signal
 * within 30 ms (a busy event loop on a loaded machine): no graceful shutdown, exit 143.
 */
const SERVER_COMMAND = [process.execPath, ["--import", "tsx", "server.ts"]] as const;

/**
 * The child's environment: ours minus what Vitest injects (Vite sets BASE_URL="/", MODE, DEV,
 * PROD, SSR in process.env), plus the test's own settings.
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { BASE_URL: _base, MODE: _mode, DEV: _dev, PROD: _prod, SSR: _ssr, ...inherited } = process.env;
  return {
    ...inherited,
    HOST: "127.0.0.1",
    PORT: "0",
    NODE_ENV: "production",
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    // One serving process unless a test asks for more (tests/integration/cluster.test.ts).
    WEB_CONCURRENCY: "1",
    ...env,
  };
}

/** Every test server's METRICS_TOKEN: /metrics and the details of /healthz and /readyz need it. */
export const TEST_METRICS_TOKEN = "test-metrics-token-0123456789abcdef";
export const OPS_HEADERS = { authorization: `Bearer ${TEST_METRICS_TOKEN}` };

export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningServer> {
  const child = spawn(SERVER_COMMAND[0], [...SERVER_COMMAND[1]], {
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}

/** Runs the server expecting it to refuse to start; returns its exit code and output. */
export async function runServerExpectingExit(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(SERVER_COMMAND[0], [...SERVER_COMMAND[1]], {
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server kept running although it should have refused to start:\n${output}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
