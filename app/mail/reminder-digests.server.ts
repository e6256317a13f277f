/**
 * Sends one reminder digest per person who has something to do (ADR 0020), through nodemailer
 * to the SMTP server in SMTP_URL, and records each one sent so that a second run the same Oslo day
 * sends nothing again. Returns counts only: an address is used to address a message and nowhere
 * else (never logged, never stored beside what was sent).
 */
import nodemailer from "nodemailer";
import type { Db } from "#app/db.server";
import { osloDate } from "#app/domain/inclusion-status";
import { digestRecipients, digestSentOn, recordDigestSent, remindersForUser } from "#app/models/reminders.server";
import { reminderDigest } from "#app/views/reminder-mail";

export interface DigestRun {
  /** Digests sent now. */
  sent: number;
  /** People with reminders who already got today's digest. */
  alreadySent: number;
  /** People with nothing to do. */
  nothingToDo: number;
  /** Digests the mail server refused or that could not be sent (tried again on the next run). */
  failed: number;
  /** Reminders in the digests sent. */
  reminders: number;
}

export async function sendReminderDigests(
  db: Db,
  options: { smtpUrl: string; from: string; baseUrl: string; now?: Date; dryRun?: boolean },
): Promise<DigestRun> {
  const now = options.now ?? new Date();
  const day = osloDate(now);
  const run: DigestRun = { sent: 0, alreadySent: 0, nothingToDo: 0, failed: 0, reminders: 0 };
  const transport = options.dryRun ? null : nodemailer.createTransport(options.smtpUrl);
  try {
    for (const person of digestRecipients(db)) {
      const reminders = remindersForUser(db, person.principal, now);
      if (reminders.length === 0) {
        run.nothingToDo++;
        continue;
      }
      if (digestSentOn(db, person.userId, day)) {
        run.alreadySent++;
        continue;
      }
      const digest = reminderDigest({ baseUrl: options.baseUrl, name: person.name, reminders });
      if (transport) {
        try {
          await transport.sendMail({
            from: options.from,
            to: person.email,
            subject: digest.subject,
            text: digest.text,
          });
        } catch {
          // The error may quote the address (a refused recipient): count it, say nothing more.
          run.failed++;
          continue;
        }
        recordDigestSent(db, person.userId, day, reminders.length, now);
      }
      run.sent++;
      run.reminders += reminders.length;
    }
  } finally {
    transport?.close();
  }
  return run;
}
