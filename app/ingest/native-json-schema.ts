/** The native format as a published JSON Schema, generated from the zod schema the code validates with. */
import { z } from "zod";
import { nativeStudySchema } from "./mappers/native";

export function nativeFeedJsonSchema(): Record<string, unknown> {
  const feed = z
    .union([z.array(nativeStudySchema), z.object({ studier: z.array(nativeStudySchema) })])
    .describe("En leveranse i Kliniske studiers native format: en liste med studier, eller { studier: [...] }");
  return {
    $id: "https://kliniskestudier.no/schemas/native-study.schema.json",
    title: "Kliniske studier – native JSON-format",
    ...z.toJSONSchema(feed, { target: "draft-2020-12", io: "input" }),
  };
}
