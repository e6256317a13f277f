/**
 * npm run screenshots — pictures of the main pages at phone and desktop size, written to
 * docs/screenshots/ (linked from the README).
 *
 * Runs the real built server (run `npm run build` first) on a fresh database seeded with the demo
 * studies and the real postcode list from ../shared/data, and drives Debian's Chromium
 * (/usr/bin/chromium, or CHROMIUM_PATH) through Playwright: no browser is downloaded.
 */
import { chromium, type Page } from "@playwright/test";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run screenshots

Writes docs/screenshots/<page>-<phone|desktop>.png from the built app (npm run build first),
on a fresh demo database in var/screenshots/. Environment: CHROMIUM_PATH (default /usr/bin/chromium).`;

parseScriptArgs(HELP, { options: {} });

const OUT = path.resolve("docs/screenshots");
const TSX = path.resolve("node_modules/.bin/tsx");
const SIZES = [
  { name: "phone", viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 },
  { name: "desktop", viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
] as const;

if (!existsSync("build/index.js")) {
  console.error("No server build at build/index.js: run `npm run build` first.");
  process.exit(1);
}

const dbDir = path.resolve("var/screenshots");
rmSync(dbDir, { recursive: true, force: true });
mkdirSync(dbDir, { recursive: true });
mkdirSync(OUT, { recursive: true });
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_PATH: path.join(dbDir, "screenshots.db"),
  HOST: "127.0.0.1",
  PORT: "0",
  NODE_ENV: "production",
  SEED_DEMO_DATA: "true",
};

// The server's first start loads the shipped postcode list (distances in the pictures).

const server = spawn(TSX, ["server.ts"], { env, stdio: ["ignore", "pipe", "inherit"] });
const stopServer = () => {
  if (server.exitCode === null) server.kill("SIGTERM");
};
process.on("exit", stopServer);

const baseUrl = await new Promise<string>((resolve, reject) => {
  let output = "";
  server.stdout!.on("data", (chunk) => {
    output += chunk;
    const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
    if (match) resolve(match[1]!.replace("localhost", "127.0.0.1"));
  });
  server.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

async function studyPath(page: Page, listUrl: string, linkSelector: string): Promise<string> {
  await page.goto(`${baseUrl}${listUrl}`);
  const href = await page.locator(linkSelector).first().getAttribute("href");
  if (!href) throw new Error(`no study link on ${listUrl}`);
  return href.split("?")[0]!;
}

try {
  const probe = await browser.newPage();
  const patientStudy = await studyPath(probe, "/pasient?q=brystkreft", ".cards .card h3 a");
  const clinicianStudy = patientStudy.replace("/pasient/", "/helsepersonell/");
  await probe.close();

  const shots: { name: string; url: string }[] = [
    { name: "forside", url: "/" },
    { name: "pasient-sok", url: "/pasient?q=brystkreft&postnummer=7030&alder=54&kjonn=kvinne" },
    { name: "pasient-ingen-treff", url: "/pasient?q=brystkreft&kjonn=mann" },
    { name: "pasient-studie", url: `${patientStudy}?postnummer=7030` },
    { name: "pasient-studie-nynorsk", url: `${patientStudy}?lang=nn` },
    { name: "helsepersonell-liste", url: "/helsepersonell?icd10=C50" },
    { name: "helsepersonell-studie", url: `${clinicianStudy}?alder=54&kjonn=kvinne#sjekk` },
    { name: "helsepersonell-studie-english", url: `${clinicianStudy}?lang=en` },
  ];
  for (const size of SIZES) {
    const context = await browser.newContext({
      viewport: size.viewport,
      deviceScaleFactor: size.deviceScaleFactor,
      locale: "nb-NO",
      timezoneId: "Europe/Oslo",
    });
    const page = await context.newPage();
    for (const shot of shots) {
      await page.goto(`${baseUrl}${shot.url}`);
      await page.waitForLoadState("networkidle");
      const file = path.join(OUT, `${shot.name}-${size.name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
    // The referral summary as printed (print stylesheet).
    await page.goto(`${baseUrl}${clinicianStudy}`);
    await page.emulateMedia({ media: "print" });
    const file = path.join(OUT, `helsepersonell-henvisning-utskrift-${size.name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
    await context.close();
  }
} finally {
  await browser.close();
  stopServer();
}
