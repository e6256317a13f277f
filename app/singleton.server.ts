/**
 * One value per process, shared by every copy of a module (the indie/blues-stack `singleton()`).
 * server.ts (run by tsx) and the Remix server build each load their own copy of app modules, and
 * the dev server re-requires the build; a value made here is made once and seen by all of them.
 * Kept under one Symbol.for key on globalThis instead of one hand-written global per module.
 */
const STORE = Symbol.for("kliniske-studier.singletons");
type GlobalWithSingletons = typeof globalThis & { [STORE]?: Map<string, unknown> };

function store(): Map<string, unknown> {
  const g = globalThis as GlobalWithSingletons;
  g[STORE] ??= new Map();
  return g[STORE];
}

/** The process's value called `name`, made by `create` the first time anyone asks. */
export function singleton<T>(name: string, create: () => T): T {
  const values = store();
  if (!values.has(name)) values.set(name, create());
  return values.get(name) as T;
}

/** The value if it was made, without making it (e.g. counters read before first use). */
export function existingSingleton<T>(name: string): T | undefined {
  return store().get(name) as T | undefined;
}

/** Forget the value (e.g. a closed database connection), so the next singleton() makes a new one. */
export function dropSingleton(name: string): void {
  store().delete(name);
}
