/**
 * Every script's arguments go through scripts/lib/cli-args.ts: `--help` prints its usage and exits
 * 0; an unknown flag gets one clear line on stderr and exit code 2, before anything is opened.
 * Real child processes, one per script and case; the table is every scripts/*.ts, so a new script
 * that parses its own arguments fails here.
 */
import { execFile } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/db";

const run = promisify(execFile);
const TSX = path.resolve("node_modules/.bin/tsx");
const SCRIPTS = readdirSync("scripts")
  .filter((f) => f.endsWith(".ts"))
  .sort();
const dir = tempDir("ks-script-args-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runScript(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: path.join(dir, `${script}.db`) };
  try {
    const { stdout, stderr } = await run(TSX, [path.join("scripts", script), ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("every script's arguments", () => {
  it("the table covers the scripts folder", () => {
    expect(SCRIPTS.length).toBeGreaterThanOrEqual(28);
  });

  it.each(SCRIPTS)("%s --help prints its usage and exits 0", async (script) => {
    const r = await runScript(script, ["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage/);
  });

  it.each(SCRIPTS)("%s --no-such-flag says so in one line and exits 2", async (script) => {
    const r = await runScript(script, ["--no-such-flag"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("Unknown option '--no-such-flag' (see --help)");
    expect(r.stdout).toBe("");
  });
});
