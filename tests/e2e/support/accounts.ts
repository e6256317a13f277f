/** People the signed-in e2e specs sign in as, written into the e2e server's database through the real model. */
import { hashPassword } from "#app/auth/password.server";
import type { Role } from "#app/auth/policy";
import type { Db } from "#app/db.server";
import { createUser } from "#app/models/user.server";

export interface E2ePerson {
  email: string;
  name: string;
  role: Role;
  /** null for an administrator (a role for the whole portal). */
  organisationId: string | null;
}

/**
 * Creates each person who is not there yet (a spec's beforeAll runs again after a retry), all with
 * one password; the e-mail addresses of those it created (a spec adds its other fixtures with them).
 */
export async function ensurePeople(db: Db, password: string, people: readonly E2ePerson[]): Promise<string[]> {
  const passwordHash = await hashPassword(password);
  const created: string[] = [];
  for (const p of people) {
    if (db.prepare("SELECT 1 FROM users WHERE email = ?").get(p.email)) continue;
    createUser(db, {
      email: p.email,
      name: p.name,
      passwordHash,
      roles: [{ role: p.role, organisationId: p.organisationId }],
    });
    created.push(p.email);
  }
  return created;
}
