#!/usr/bin/env node
/**
 * node scripts/codemod-app-imports.mjs [files…] — rewrite imports of app modules to `#app/…`
 * (package.json "imports", tsconfig "paths"; issue 21 item 5). `~/x` and relative paths that
 * leave their own folder and land in app/ become `#app/x`; same-folder `./x` imports stay.
 * Without files: every tracked .ts/.tsx/.js/.mjs file in app/, scripts/, tests/ and server.ts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(`Usage: node scripts/codemod-app-imports.mjs [--check] [file…]

Rewrites import specifiers that point into app/ ("~/db.server", "../../app/db.server",
"../models/study.server") to "#app/db.server", "#app/models/study.server". Imports within the same
folder ("./x") are left as they are. Without files, rewrites every tracked source file in app/,
scripts/, tests/ and server.ts (tests/fixtures/lint/ is left alone: its paths are the test).
--check   change nothing; list the files that would change and exit 1 if there are any.`);
  process.exit(0);
}
const unknown = args.filter((a) => a.startsWith("-") && a !== "--check");
if (unknown.length) {
  console.error(`Unknown option ${unknown[0]} (see --help)`);
  process.exit(2);
}
const check = args.includes("--check");
const root = process.cwd();
const appDir = path.join(root, "app");
let files = args.filter((a) => !a.startsWith("-"));
if (files.length === 0) {
  files = execFileSync("git", ["ls-files", "app", "scripts", "tests", "server.ts"], { encoding: "utf8" })
    .split("\n")
    .filter((f) => /\.(ts|tsx|js|mjs)$/.test(f) && !f.startsWith("tests/fixtures/lint/"));
}

const EXTS = ["", ".ts", ".tsx", ".js", ".mjs"];
const isFile = (p) => existsSync(p) && statSync(p).isFile();
const SPEC = /((?:\bfrom|\bimport)\s*\(?\s*|vi\.mock\(\s*)(["'])([^"'\n]+)\2/g;
let changed = 0;
for (const file of files) {
  const abs = path.resolve(root, file);
  const source = readFileSync(abs, "utf8");
  const out = source.replace(SPEC, (whole, lead, quote, spec) => {
    let target;
    if (spec.startsWith("~/")) target = path.join(appDir, spec.slice(2));
    else if (spec.startsWith("../")) target = path.resolve(path.dirname(abs), spec);
    else return whole;
    const ext = EXTS.find((e) => isFile(target + e));
    if (ext === undefined || !target.startsWith(appDir + path.sep)) return whole;
    return `${lead}${quote}#app/${path.relative(appDir, target).split(path.sep).join("/")}${quote}`;
  });
  if (out !== source) {
    changed++;
    if (check) console.log(file);
    else writeFileSync(abs, out);
  }
}
console.log(`${check ? "would change" : "changed"} ${changed} file(s)`);
if (check && changed) process.exit(1);
