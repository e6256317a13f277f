/**
 * npm run schemas:export — writes docs/schemas/native-study.schema.json from the zod schema.
 * A test fails when the committed file is out of date.
 */
import { writeFileSync } from "node:fs";
import { nativeFeedJsonSchema } from "#app/ingest/native-json-schema";
import { parseScriptArgs } from "./lib/cli-args";

const HELP =
  "Usage: npm run schemas:export\nWrites docs/schemas/native-study.schema.json from the zod schema in app/ingest/mappers/native.ts.";

parseScriptArgs(HELP, { options: {} });
const file = "docs/schemas/native-study.schema.json";
writeFileSync(file, JSON.stringify(nativeFeedJsonSchema(), null, 2) + "\n");
console.log(`Wrote ${file}`);
