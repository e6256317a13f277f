/**
 * Password hashing with node:crypto scrypt (memory-hard), a random 16-byte salt per hash.
 *
 * Parameters: N = 2^15 (cost), r = 8 (block size), p = 1 → 128·N·r = 32 MiB of memory per hash,
 * 64-byte key. That is OWASP's scrypt recommendation (N=2^17 needs 128 MiB, too much for a small
 * server under a burst of sign-ins; 2^15 with r=8 is the lower documented choice). The parameters
 * are written into every hash ("scrypt$N$r$p$salt$hash"), so raising them later only affects new
 * hashes and old ones still verify. Comparison is constant-time.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 64, saltBytes: 16 } as const;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize("NFKC"), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

const memoryFor = (N: number, r: number) => 128 * N * r * 2;

/** A problem with a new password, in plain Norwegian, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Passordet må ha minst ${MIN_PASSWORD_LENGTH} tegn.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Passordet kan ha høyst ${MAX_PASSWORD_LENGTH} tegn.`;
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltBytes } = SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const key = await scrypt(password, salt, keyLength, { N, r, p, maxmem: memoryFor(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const salt = Buffer.from(parts[4]!, "base64");
  const expected = Buffer.from(parts[5]!, "base64");
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: memoryFor(N, r) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Spends the same work as a real check, so an unknown e-mail answers no faster than a wrong password. */
let dummyHash: Promise<string> | null = null;
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), await dummyHash);
  return false;
}
