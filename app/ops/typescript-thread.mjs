// The one entry of the portal's worker threads (app/ops/typescript-thread.server.ts): plain
// JavaScript, since a worker thread does not inherit the parent's tsx loader. It registers tsx,
// then runs the TypeScript module named as the thread's last argument.
import { pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

register();
await import(pathToFileURL(process.argv.at(-1)).href);
