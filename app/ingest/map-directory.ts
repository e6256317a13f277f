/**
 * A folder of input files as one batch: each regular file (sorted by name, hidden files skipped)
 * is mapped on its own and the results are joined, every ref prefixed with the file's name so an
 * error still says which file and which record. Used by the ingest CLI for `<dir>`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { MapResult } from "./types";

export interface DirectoryFile {
  name: string;
  bytes: number;
}

export function directoryFiles(dir: string): DirectoryFile[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith("."))
    .sort()
    .map((name) => ({ name, stat: statSync(path.join(dir, name)) }))
    .filter((f) => f.stat.isFile())
    .map((f) => ({ name: f.name, bytes: f.stat.size }));
}

export function mapDirectory(dir: string, map: (input: Buffer) => MapResult): MapResult {
  const out: Required<MapResult> = { records: [], rejected: [], skipped: [] };
  for (const file of directoryFiles(dir)) {
    let result: MapResult;
    try {
      result = map(readFileSync(path.join(dir, file.name)));
    } catch (error) {
      out.rejected.push({ ref: file.name, externalId: null, field: "(fil)", message: (error as Error).message });
      continue;
    }
    for (const r of result.records) out.records.push({ ...r, ref: `${file.name}: ${r.ref}` });
    for (const r of result.rejected) out.rejected.push({ ...r, ref: `${file.name}: ${r.ref}` });
    for (const r of result.skipped ?? []) out.skipped.push({ ...r, ref: `${file.name}: ${r.ref}` });
  }
  return out;
}
