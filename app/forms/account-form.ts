/**
 * The administrator's account forms read with Conform + zod (issue 18 item 4). Each problem is a
 * message key (app/i18n), so the page shows it in the reader's language next to its field.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";

const role = z.enum(["researcher", "editor", "admin"], { error: "accounts.error.role" });
const organisations = z.array(z.string().trim().min(1)).default([]);

export const inviteSchema = z.object({
  intent: z.literal("invite"),
  email: z
    .string({ error: "accounts.error.email" })
    .trim()
    .toLowerCase()
    .max(254, { error: "accounts.error.email" })
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: "accounts.error.email" }),
  name: z.string({ error: "accounts.error.name" }).trim().min(1, { error: "accounts.error.name" }).max(200),
  role,
  organisations,
});

export const rolesSchema = z.object({
  intent: z.literal("roles"),
  account: z.coerce.number().int().positive(),
  role,
  organisations,
});

export const accountSchema = z.object({
  intent: z.enum(["disable", "enable"]),
  account: z.coerce.number().int().positive(),
});

export function parseInviteForm(payload: FormData) {
  return parseWithZod(payload, { schema: inviteSchema });
}

export function parseRolesForm(payload: FormData) {
  return parseWithZod(payload, { schema: rolesSchema });
}

export function parseAccountForm(payload: FormData) {
  return parseWithZod(payload, { schema: accountSchema });
}
