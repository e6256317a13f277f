/**
 * The sign-in and set-password forms read with Conform + zod (issue 21 item 5). Each problem is a
 * message key (app/i18n), shown on its field in the reader's language. The rules are the ones the
 * routes had by hand: sign-in asks only that both fields are filled (whether the account exists
 * is never said, so the e-mail is not checked for shape here); a new password has 12–1024
 * characters (app/auth/password.server.ts) and is typed the same twice.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "#app/auth/password.server";

export const signInSchema = z.object({
  email: z.string({ error: "signIn.error.email" }).trim().min(1, { error: "signIn.error.email" }),
  // Never trimmed: a password is what was typed.
  password: z.string({ error: "signIn.error.password" }).min(1, { error: "signIn.error.password" }),
  /** The page to go to afterwards (made safe by the route). */
  til: z.string().optional(),
});

export const newPasswordSchema = z
  .object({
    token: z.string().default(""),
    password: z
      .string({ error: "password.error.short" })
      .min(MIN_PASSWORD_LENGTH, { error: "password.error.short" })
      .max(MAX_PASSWORD_LENGTH, { error: "password.error.long" }),
    repeat: z.string({ error: "password.error.different" }),
  })
  .refine((v) => v.password === v.repeat, { path: ["repeat"], error: "password.error.different" });

export function parseSignInForm(payload: FormData) {
  return parseWithZod(payload, { schema: signInSchema });
}

export function parseNewPasswordForm(payload: FormData) {
  return parseWithZod(payload, { schema: newPasswordSchema });
}
