/**
 * The sign-in and set-password forms' schemas (app/forms/sign-in-form.ts), table-tested: each
 * problem is a message key on its field; a password is never trimmed; a new password has 12–1024
 * characters and is typed the same twice.
 */
import { describe, expect, it } from "vitest";
import { parseNewPasswordForm, parseSignInForm } from "#app/forms/sign-in-form";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("sign-in form", () => {
  it.each([
    [
      { email: "", password: "" },
      { email: ["signIn.error.email"], password: ["signIn.error.password"] },
    ],
    [{ email: "   ", password: "x" }, { email: ["signIn.error.email"] }],
    [{ email: "kari@example.no", password: "" }, { password: ["signIn.error.password"] }],
  ])("%j → %j", (fields, errors) => {
    const s = parseSignInForm(form(fields));
    expect(s.status !== "success" && s.error).toEqual(errors);
  });

  it("keeps the password as typed and trims the e-mail; the return path is optional", () => {
    const s = parseSignInForm(form({ email: "  kari@example.no ", password: "  mellomrom  ", til: "/forsker" }));
    expect(s.status === "success" && s.value).toEqual({
      email: "kari@example.no",
      password: "  mellomrom  ",
      til: "/forsker",
    });
    // The shape of the e-mail is not judged here: the answer must not differ for a non-account.
    expect(parseSignInForm(form({ email: "ikke-en-adresse", password: "x" })).status).toBe("success");
  });
});

describe("set-password form", () => {
  it.each([
    ["kort", "kort", { password: ["password.error.short"] }],
    ["x".repeat(1025), "x".repeat(1025), { password: ["password.error.long"] }],
    ["et langt nok passord", "et annet passord", { repeat: ["password.error.different"] }],
  ])("%s / %s → %j", (password, repeat, errors) => {
    const s = parseNewPasswordForm(form({ token: "t", password, repeat }));
    expect(s.status !== "success" && s.error).toEqual(errors);
  });

  it("accepts 12 characters typed the same twice", () => {
    const s = parseNewPasswordForm(form({ token: "t", password: "tolv-tegn-ok", repeat: "tolv-tegn-ok" }));
    expect(s.status === "success" && s.value).toEqual({ token: "t", password: "tolv-tegn-ok", repeat: "tolv-tegn-ok" });
  });
});
