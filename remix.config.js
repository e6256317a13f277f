import { build } from "esbuild";

/**
 * The light patient pages' script (issue 24, docs/decisions/0017-light-patient-pages.md): those
 * pages are not hydrated, so Remix's client build has nothing for them. `remix build` reads this
 * file first and waits for its top-level await, so every way of building (`npm run build`,
 * `npx remix build`, `npm test`) also writes public/light/patient-page.js. esbuild is the one
 * Remix itself uses. Minified, ES2020 (the browsers Remix supports).
 */
await build({
  entryPoints: ["app/light/patient-page.ts"],
  outfile: "public/light/patient-page.js",
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  platform: "browser",
  legalComments: "none",
  logLevel: "warning",
});

/**
 * Remix 2 classic compiler (see docs/decisions/0001-remix-classic-and-express.md).
 * The server build is ESM and is loaded by our Express server in server.ts.
 * @type {import('@remix-run/dev').AppConfig}
 */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // better-sqlite3 is a native addon: never bundle it.
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
