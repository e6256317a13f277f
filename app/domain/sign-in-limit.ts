/**
 * The sign-in rate limit as a pure rule (the counts come from app/models/user.server.ts, which
 * applies this rule inside the transaction that reserves the attempt).
 *
 * Three keys, each over the last `windowMinutes`:
 * - **e-mail from one client**: `perEmailAndClient` failures, then that client is refused for
 *   that e-mail until the window has passed. A stranger guessing a known e-mail locks out only
 *   themselves; the owner, from their own address, still gets in.
 * - **client**: `perClient` failures over any e-mails (one address spraying many accounts).
 * - **e-mail from anywhere** (many addresses guessing one account): after `emailBackOffAfter`
 *   failures each further attempt waits `backOffBaseSeconds`, doubling with every failure, at most
 *   the window, counted from the last failure. A back-off, not a lock: the owner is slowed for a
 *   while, never shut out for good (docs/security.md).
 * A success resets the e-mail's counters (failures before it do not count).
 */
export const SIGN_IN_LIMITS = {
  windowMinutes: 15,
  perEmailAndClient: 5,
  perClient: 20,
  emailBackOffAfter: 10,
  backOffBaseSeconds: 30,
} as const;

export interface SignInCounts {
  /** Failed (or still running) attempts for this e-mail from this client in the window. */
  emailAndClient: number;
  /** Failed (or still running) attempts from this client for any e-mail in the window. */
  client: number;
  /** Failed (or still running) attempts for this e-mail from any client in the window. */
  email: number;
  /** When the e-mail's last failed attempt was (null when none in the window). */
  lastEmailFailureAt: Date | null;
}

export type SignInLimitDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; reason: "email-and-client" | "client" | "email-back-off" };

export function signInLimitDecision(counts: SignInCounts, now: Date, limits = SIGN_IN_LIMITS): SignInLimitDecision {
  const window = limits.windowMinutes * 60;
  if (counts.emailAndClient >= limits.perEmailAndClient)
    return { allowed: false, retryAfterSeconds: window, reason: "email-and-client" };
  if (counts.client >= limits.perClient) return { allowed: false, retryAfterSeconds: window, reason: "client" };
  if (counts.email >= limits.emailBackOffAfter && counts.lastEmailFailureAt) {
    const wait = Math.min(window, limits.backOffBaseSeconds * 2 ** (counts.email - limits.emailBackOffAfter));
    const since = (now.getTime() - counts.lastEmailFailureAt.getTime()) / 1000;
    if (since < wait)
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait - since)), reason: "email-back-off" };
  }
  return { allowed: true };
}
