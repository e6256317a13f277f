import { chromium } from "@playwright/test";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
await page.goto(process.argv[2]);
const h = await page.evaluate(() => document.body.scrollHeight);
for (let y = 0, i = 0; y < h && i < 8; y += 1400, i++) { await page.screenshot({ path: `${process.argv[3]}-${i}.png`, clip: { x: 0, y, width: 1000, height: Math.min(1400, h - y) }, fullPage: true }); }
console.log(h);
await browser.close();
