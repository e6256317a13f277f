import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { nativeFeedJsonSchema } from "#app/ingest/native-json-schema";
import { itShared, sharedData } from "../helpers/shared-data";

/** The Helse Nord listing: no licence stated, so it stays in ../shared/data. */
const LISTING = "norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json";

const schema = nativeFeedJsonSchema();

describe("the published JSON Schema of the native format", () => {
  it("is up to date with the zod schema (run npm run schemas:export)", () => {
    const committed = JSON.parse(readFileSync("docs/schemas/native-study.schema.json", "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
  });

  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);

  itShared(LISTING, "accepts the real hospital listing exactly as the hospitals send it", () => {
    const listing = JSON.parse(readFileSync(sharedData(LISTING), "utf8"));
    const ok = validate(listing);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("accepts the extension fields and the { studier: [...] } wrapper", () => {
    expect(
      validate({
        studier: [
          {
            id: 1,
            tittel: "T",
            studietype: "behandling",
            fase: "1/2",
            studiesteder: [
              {
                foretak: "st-olavs",
                sykehus: "st-olavs-oya",
                inklusjon_start: "2026-01-01",
                inklusjon_slutt: "2026-12-31",
                pause: false,
              },
            ],
          },
        ],
      }),
    ).toBe(true);
  });

  it.each([
    ["no title", [{ id: "1" }]],
    ["wrong study type", [{ id: "1", tittel: "T", studietype: "magic" }]],
    ["site without organisation", [{ id: "1", tittel: "T", studiesteder: [{ inklusjon_start: "2026-01-01" }] }]],
    ["categories not a list", [{ id: "1", tittel: "T", kategorier: "Kreft" }]],
  ])("rejects %s", (_name, doc) => {
    expect(validate(doc)).toBe(false);
  });
});
