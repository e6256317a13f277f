/**
 * The built server on a fresh database with the demo studies and an ingest token for Oslo
 * universitetssykehus ("ous"): what the HTTP tests of public pages and their caches start from.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { issueToken } from "#app/models/token.server";
import { tempDir } from "./db";
import { startServer, type RunningServer } from "./server";

export interface SeededServer {
  server: RunningServer;
  /** Bearer token for POST /api/v1/organisations/ous/studies. */
  token: string;
  /** Stops the server and deletes its database. */
  stop: () => Promise<void>;
}

export async function startSeededServer(env: Record<string, string> = {}): Promise<SeededServer> {
  const dir = tempDir();
  const dbFile = path.join(dir, "portal.db");
  const db = openDatabase(dbFile);
  prepareDatabase(db, { seedDemoData: true });
  const token = issueToken(db, "ous", "test").token;
  db.close();
  const server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false", ...env });
  return {
    server,
    token,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
