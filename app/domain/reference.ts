/** Schemas for the project's reference lists in data/reference/*.json. */
import { z } from "zod";

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/);

export const referenceDataSchema = z.object({
  regions: z.array(z.object({ id, name: z.string().min(1), shortName: z.string().min(1) })).length(4),
  organisations: z
    .array(
      z.object({
        id,
        name: z.string().min(1),
        shortName: z.string().min(1),
        kind: z.enum(["hf", "private_nonprofit", "university", "other"]),
        regionId: id,
        orgnr: z
          .string()
          .regex(/^\d{9}$/)
          .nullable()
          .optional(),
        website: z.url().nullable().optional(),
        hospitals: z
          .array(
            z.object({
              id,
              name: z.string().min(1),
              municipality: z.string().nullable().optional(),
              municipalityNumber: z
                .string()
                .regex(/^\d{4}$/)
                .nullable()
                .optional(),
              lat: z.number().min(57).max(72),
              lon: z.number().min(4).max(32),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
  hrcsCategories: z.array(
    z.object({ id, nameNb: z.string().min(1), nameEn: z.string().min(1), aliases: z.array(z.string()).default([]) }),
  ),
  icd10: z.array(z.object({ code: z.string().regex(/^[A-Z]\d{2}[0-9A-Z]{0,2}$/), nameNb: z.string().min(1) })),
});

export type ReferenceData = z.output<typeof referenceDataSchema>;
