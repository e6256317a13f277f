/** app/singleton.server.ts: one value per process, made once, shared by every copy of a module. */
import { describe, expect, it, vi } from "vitest";
import { dropSingleton, existingSingleton, singleton } from "#app/singleton.server";

describe("singleton()", () => {
  it("makes the value once and gives the same one after", () => {
    let made = 0;
    const a = singleton("test-once", () => ({ n: ++made }));
    const b = singleton("test-once", () => ({ n: ++made }));
    expect(b).toBe(a);
    expect(made).toBe(1);
  });

  it("is shared through globalThis, so a second copy of the module sees it", async () => {
    const value = singleton("test-shared", () => ({}));
    // A fresh copy of the module, as server.ts and the Remix build each load their own.
    vi.resetModules();
    const copy = await import("#app/singleton.server");
    expect(copy.singleton).not.toBe(singleton);
    expect(copy.singleton("test-shared", () => ({ other: true }))).toBe(value);
  });

  it("existingSingleton does not make it; dropSingleton forgets it", () => {
    expect(existingSingleton("test-drop")).toBeUndefined();
    const first = singleton("test-drop", () => ({}));
    expect(existingSingleton("test-drop")).toBe(first);
    dropSingleton("test-drop");
    expect(existingSingleton("test-drop")).toBeUndefined();
    expect(singleton("test-drop", () => ({}))).not.toBe(first);
  });
});
