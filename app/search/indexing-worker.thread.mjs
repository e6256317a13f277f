// The search-indexing worker thread's entry (app/search/indexing-thread.server.ts): plain
// JavaScript, since a worker thread does not inherit the parent's tsx loader; it registers tsx,
// then runs the thread.
import { register } from "tsx/esm/api";

register();
await import("./indexing-worker.thread.ts");
