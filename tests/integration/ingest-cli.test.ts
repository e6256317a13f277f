/** The ingest CLI on a folder: every file is read, errors name the file and the record, the good ones are stored. */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/db";
import { itShared, sharedData } from "../helpers/shared-data";
import { rmSync } from "node:fs";

const TSX = path.resolve("node_modules/.bin/tsx");
/** The Helse Nord listing: no licence stated, so it stays in ../shared/data. */
const LISTING_FILE = "norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json";
const LISTING = sharedData(LISTING_FILE);
const dir = tempDir("ks-ingest-cli-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.BASE_URL;
  return env;
}

describe("npm run ingest -- <dir>", () => {
  itShared(LISTING_FILE, "reads every file of a folder as one batch and names the file of each rejection", () => {
    // The real hospital listing (47 studies), split over three files, plus a broken one.
    const listing = JSON.parse(readFileSync(LISTING, "utf8")) as unknown[];
    const input = path.join(dir, "listing");
    mkdirSync(input);
    writeFileSync(path.join(input, "a.json"), JSON.stringify(listing.slice(0, 20)));
    writeFileSync(path.join(input, "b.json"), JSON.stringify(listing.slice(20, 40)));
    writeFileSync(path.join(input, "c.json"), JSON.stringify(listing.slice(40)));
    writeFileSync(path.join(input, "zz-broken.json"), "{ not json");
    writeFileSync(path.join(input, ".hidden.json"), "ignored");
    const dbFile = path.join(dir, "cli.db");
    const run = spawnSync(TSX, ["scripts/ingest.ts", "--org", "unn", "--format", "native", "--json", input], {
      env: childEnv({ DATABASE_PATH: dbFile }),
      encoding: "utf8",
    });
    expect(run.status).toBe(1); // one file was rejected
    const report = JSON.parse(run.stdout) as {
      created: number;
      rejected: number;
      rejections: { ref: string; field: string }[];
    };
    expect(report.rejections.map((r) => r.ref)).toEqual([expect.stringMatching(/^zz-broken\.json: /)]);
    expect(report.created).toBe(listing.length);
    const db = new Database(dbFile, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM studies").pluck().get()).toBe(listing.length);
    db.close();
  });

  it("refuses a folder larger than --max-mb before reading it", () => {
    // Its own folder (the listing above may be skipped): 2 KB of records, over the 0.001 MB limit.
    const big = path.join(dir, "big");
    mkdirSync(big, { recursive: true });
    writeFileSync(
      path.join(big, "a.json"),
      JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ id: `S${i}`, tittel: `Studie nummer ${i} om noe` }))),
    );
    const run = spawnSync(TSX, ["scripts/ingest.ts", "--org", "unn", "--format", "native", "--max-mb", "0.001", big], {
      env: childEnv({ DATABASE_PATH: path.join(dir, "never.db") }),
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/more than --max-mb/);
  });
});
