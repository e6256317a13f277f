/**
 * E-mail reminders (issue 18 item 2, ADR 0020) against a REAL SMTP server: `smtp-server` listens
 * on a loopback port in this test, `npm run reminders:send` (the script itself, in its own
 * process) sends through it with nodemailer. Asserts the digests arrived, to whom, with the link
 * to act, that a second run the same day sends nothing, and that the script's output (its logs)
 * holds no address.
 */
import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import smtpServer from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate } from "#app/domain/inclusion-status";
import { freshDb, type TestDb } from "../helpers/db";
import { createPeople, PEOPLE, testStudy } from "../helpers/accounts";
import { saveStudyOrThrow } from "../helpers/studies";

const run = promisify(execFile);
const TSX = path.resolve("node_modules/.bin/tsx");
const BASE = "http://portal.example.test";

interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
}
const received: Received[] = [];
let server: InstanceType<typeof smtpServer.SMTPServer>;
let port = 0;
let t: TestDb;
let studyId = 0;

/** The message body, quoted-printable decoded (nodemailer encodes non-ASCII text that way). */
function body(raw: string): string {
  const [, ...rest] = raw.split(/\r?\n\r?\n/);
  const text = rest.join("\n\n").replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === "=" ? text.slice(i + 1, i + 3) : "";
    if (/^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

beforeAll(async () => {
  t = freshDb();
  await createPeople(t.db);
  // A published study whose sites were last confirmed 200 days ago: past the 6-month soft limit.
  const today = osloDate(new Date());
  const confirmed = new Date(`${addCalendarDays(today, -200)}T10:00:00Z`);
  const saved = saveStudyOrThrow(
    t.db,
    testStudy({
      publicationState: "published",
      sites: [
        {
          organisationId: "st-olavs",
          hospitalId: null,
          inclusionStart: addCalendarDays(today, -300),
          inclusionEnd: null,
        },
      ],
    }),
    { actor: { kind: "system", name: "test" }, now: confirmed },
  );
  studyId = saved.studyId;
  t.db.close();

  server = new smtpServer.SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  t.cleanup();
});

const env = () => ({
  ...process.env,
  DATABASE_PATH: t.file,
  BASE_URL: BASE,
  SMTP_URL: `smtp://127.0.0.1:${port}`,
  MAIL_FROM: "Kliniske studier <ikke-svar@portal.example.test>",
  SEED_DEMO_DATA: "false",
  LOG_LEVEL: "info",
});
const send = (...args: string[]) => run(TSX, ["scripts/reminders-send.ts", ...args], { env: env(), timeout: 120_000 });

describe("npm run reminders:send", () => {
  it("says what it does with --help", async () => {
    const { stdout } = await send("--help");
    expect(stdout).toContain("Usage: npm run reminders:send");
    expect(received).toHaveLength(0);
  });

  it("delivers one digest to each person at the site's organisation, with the link to act, and logs no address", async () => {
    const { stdout, stderr } = await send();
    // The st-olavs researchers and its editor; the administrator has no organisation, so no digest.
    const to = received.flatMap((m) => m.to).sort();
    expect(to).toEqual([PEOPLE.researcherStOlavs.email, PEOPLE.lockout.email, PEOPLE.editorStOlavs.email].sort());
    expect(received.every((m) => m.from === "ikke-svar@portal.example.test")).toBe(true);
    const mine = received.find((m) => m.to.includes(PEOPLE.editorStOlavs.email))!;
    expect(mine.raw).toMatch(/^Subject: .*1 ting trenger deg/m);
    const text = body(mine.raw);
    expect(text).toContain(`Hei ${PEOPLE.editorStOlavs.name},`);
    expect(text).toContain("Bekreft datoene: ikke bekreftet siden");
    expect(text).toContain(`${BASE}/forsker/studier/${studyId}#sted-st-olavs%2F`);
    // OUS people have nothing to do there: no digest.
    expect(to).not.toContain(PEOPLE.researcherOus.email);

    const logs = stdout + stderr;
    expect(logs).toContain("Sent 3 reminder digest(s) with 3 reminder(s)");
    for (const p of Object.values(PEOPLE)) expect(logs).not.toContain(p.email);
    expect(logs).not.toMatch(/@/);
  });

  it("records what was sent, so a second run the same day sends nothing", async () => {
    const before = received.length;
    const { stdout } = await send();
    expect(received.length).toBe(before);
    expect(stdout).toContain("Sent 0 reminder digest(s)");
    expect(stdout).toContain("3 already sent today");
  });
});
