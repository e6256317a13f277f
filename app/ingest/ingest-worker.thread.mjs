// The ingest worker thread's entry (app/ingest/ingest-writer.server.ts): plain JavaScript, since a
// worker thread does not inherit the parent's tsx loader; it registers tsx, then runs the thread.
import { register } from "tsx/esm/api";

register();
await import("./ingest-worker.thread.ts");
