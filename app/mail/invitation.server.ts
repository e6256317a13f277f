/**
 * Sends an invitation (the one-time set-password link) through nodemailer to the SMTP server in
 * SMTP_URL. Answers only whether it went: the error may quote the address, so it is not passed on
 * or logged (ADR 0020's rule for the reminder digests).
 */
import nodemailer from "nodemailer";

export async function sendInvitationMail(options: {
  smtpUrl: string;
  from: string;
  to: string;
  subject: string;
  text: string;
}): Promise<boolean> {
  const transport = nodemailer.createTransport(options.smtpUrl);
  try {
    await transport.sendMail({ from: options.from, to: options.to, subject: options.subject, text: options.text });
    return true;
  } catch {
    return false;
  } finally {
    transport.close();
  }
}
