/**
 * The one SQLite connection module. better-sqlite3 is synchronous, which suits SQLite:
 * one connection per process, WAL so readers never wait for the writer.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { getConfig } from "./config.server";
import { dropSingleton, existingSingleton, singleton } from "./singleton.server";

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  // Wait for a competing writer (e.g. a CLI ingest) instead of failing at once.
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  return db;
}

/**
 * The process-wide connection (a singleton: server.ts, run by tsx, and the Remix server build each
 * load their own copy of this module; both must share one connection).
 */
export function getDb(): Db {
  return singleton("db", () => openDatabase(getConfig().DATABASE_PATH));
}

export function closeDb(): void {
  existingSingleton<Db>("db")?.close();
  dropSingleton("db");
}
