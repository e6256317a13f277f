/**
 * Issue 24: which pages are light (not hydrated), as a table. The routes say it with their
 * handle (root.tsx reads wantsHydration / wantsLightScript); hydrated pages reach the light ones
 * by a full page load (isLightPath in entry.client.tsx). A light page reached by a client-side
 * navigation would lose its live search and updates, so both must name the same pages.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isLightPath, LIGHT_PAGE, LIGHT_PAGE_WITH_SCRIPT, wantsHydration, wantsLightScript } from "#app/light/pages";

describe("isLightPath", () => {
  it.each([
    ["/", true],
    ["/pasient", true],
    ["/pasient/", true],
    ["/pasient/studier/12", true],
    ["/pasient/studier/12/", true],
    ["/pasient/studier", false],
    ["/pasient/studier/12/mer", false],
    ["/pasientar", false],
    ["/helsepersonell", false],
    ["/helsepersonell/studier/12", false],
    ["/forsker/statistikk", false],
    ["/tilgjengelighet", false],
    ["/embed/organisations/ous", false],
  ])("%s → %s", (path, light) => {
    expect(isLightPath(path)).toBe(light);
  });
});

describe("route handles", () => {
  it("a page is hydrated unless a matched route opts out; only the script pages load the light script", () => {
    expect(wantsHydration([undefined, undefined])).toBe(true);
    expect(wantsHydration([undefined, { hydrate: true }])).toBe(true);
    expect(wantsHydration([undefined, LIGHT_PAGE])).toBe(false);
    expect(wantsHydration([undefined, LIGHT_PAGE_WITH_SCRIPT])).toBe(false);
    expect(wantsLightScript([undefined, LIGHT_PAGE])).toBe(false);
    expect(wantsLightScript([undefined, LIGHT_PAGE_WITH_SCRIPT])).toBe(true);
  });

  // The route files and isLightPath name the same pages.
  it.each([
    ["app/routes/_index.tsx", "/", "LIGHT_PAGE"],
    ["app/routes/pasient._index.tsx", "/pasient", "LIGHT_PAGE_WITH_SCRIPT"],
    ["app/routes/pasient.studier.$id.tsx", "/pasient/studier/7", "LIGHT_PAGE_WITH_SCRIPT"],
    ["app/routes/helsepersonell._index.tsx", "/helsepersonell", null],
    ["app/routes/helsepersonell.studier.$id.tsx", "/helsepersonell/studier/7", null],
    ["app/routes/forsker.statistikk._index.tsx", "/forsker/statistikk", null],
  ])("%s (%s)", (file, path, handle) => {
    const source = readFileSync(file, "utf8");
    const declared = /export const handle = (LIGHT_PAGE(?:_WITH_SCRIPT)?);/.exec(source)?.[1] ?? null;
    expect(declared).toBe(handle);
    expect(isLightPath(path)).toBe(handle !== null);
  });
});
