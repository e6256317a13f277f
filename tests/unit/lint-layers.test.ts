/**
 * The layers are enforced (issue 21 item 2): ESLint's own Node API lints the fixtures in
 * tests/fixtures/lint/ as if they stood in app/domain, app/models, app/components, app/search and
 * app/ingest, with the project's eslint.config.js, and each forbidden import is an error of
 * no-restricted-imports on its line. The fixtures are ignored by the main lint run.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const eslint = new ESLint({ cwd: root });

async function layerErrors(fixture: string, asIf: string): Promise<{ line: number; source: string }[]> {
  const code = readFileSync(path.join(root, "tests/fixtures/lint", fixture), "utf8");
  const [result] = await eslint.lintText(code, { filePath: path.join(root, asIf) });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  const lines = code.split("\n");
  return result!.messages
    .filter((m) => m.ruleId === "no-restricted-imports")
    .map((m) => ({ line: m.line, source: /from "([^"]+)"/.exec(lines[m.line - 1]!)?.[1] ?? "?" }));
}

/** The import sources with an error, once each (one import may break two rules). */
const sources = (errors: { source: string }[]) => [...new Set(errors.map((e) => e.source))];

describe("forbidden imports fail the lint", () => {
  it("app/domain imports no models, routes, views, translator or form library", async () => {
    expect(sources(await layerErrors("domain-imports.ts", "app/domain/fixture.ts"))).toEqual([
      "../models/study.server",
      "../i18n/translate",
      "@conform-to/zod/v4",
      "#app/views/status-text",
      "#app/routes/_index",
    ]);
  });

  it("app/domain may import zod, other domain modules and the language type", async () => {
    expect(await layerErrors("domain-allowed.ts", "app/domain/fixture.ts")).toEqual([]);
  });

  it("the same imports are fine in a view (the rules are per layer)", async () => {
    expect(sources(await layerErrors("domain-imports.ts", "app/views/fixture.ts"))).toEqual([]);
  });

  it("models import no search engine, view or route", async () => {
    expect(sources(await layerErrors("model-imports.ts", "app/models/fixture.server.ts"))).toEqual([
      "../search/sqlite-fts.server",
      "../views/study-page.server",
      "#app/routes/logg-inn",
    ]);
  });

  it("components import no model and no .server module (not even a type)", async () => {
    expect(sources(await layerErrors("component-imports.tsx", "app/components/Fixture.tsx"))).toEqual([
      "#app/models/study.server",
      "#app/views/study-page.server",
    ]);
  });

  it("search, ingest and models never import routes", async () => {
    for (const asIf of ["app/search/fixture.ts", "app/ingest/fixture.ts", "app/models/f.ts"]) {
      expect(sources(await layerErrors("search-imports.ts", asIf)), asIf).toEqual(["../routes/pasient._index"]);
    }
  });
});
