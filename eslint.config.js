// ESLint (flat config, issue 21): the recommended JavaScript and TypeScript rules, React's two
// hook rules, and Prettier's config last (formatting is Prettier's job, not ESLint's).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The layers (docs/architecture.md), as import zones: a wrong import fails `npm test`. Each pattern
// is a regular expression on the import's source as written ("../models/x.server", "#app/routes/y").
const forbid = (regex, message) => ({ regex, message });
const NO_ROUTES = forbid("(^|/)routes(/|$)", "Routes are the top layer: nothing below them imports a route.");
const NO_SERVER = forbid(
  "\\.server(\\.tsx?)?$",
  "A `.server` module never goes to the browser: import a plain module.",
);
export const LAYERS = [
  {
    name: "domain",
    files: ["app/domain/**"],
    patterns: [
      forbid(
        "(^|/)(models|routes|views|components|forms|search|ingest)(/|$)",
        "app/domain is pure: it imports other domain modules only.",
      ),
      forbid(
        "(^|/)i18n/(translate|use-translator)(\\.tsx?)?$",
        "app/domain does not translate: put words in app/views.",
      ),
      forbid("^@conform-to/", "app/domain uses no form library: parse submissions in app/forms."),
      forbid("^(react|@remix-run/.*)$", "app/domain is pure: no React or Remix."),
      NO_SERVER,
    ],
  },
  {
    name: "models",
    files: ["app/models/**"],
    patterns: [
      forbid("(^|/)(routes|views|components)(/|$)", "Models are the data layer: no routes, views or components."),
      forbid(
        "(^|/)search(/|\\.server|$)",
        "Models import no search engine: shared keys live in app/models/meta-keys.ts.",
      ),
    ],
  },
  {
    name: "components",
    files: ["app/components/**"],
    patterns: [
      forbid("(^|/)models(/|$)", "Components get data from their route's loader, never from a model."),
      NO_SERVER,
    ],
  },
  { name: "search", files: ["app/search/**"], patterns: [NO_ROUTES] },
  { name: "ingest", files: ["app/ingest/**"], patterns: [NO_ROUTES] },
];

export default tseslint.config(
  {
    ignores: [
      ".cache/",
      "build/",
      "public/build/",
      "public/light/",
      "var/",
      "node_modules/",
      "test-results/",
      // Lint fixtures hold forbidden imports on purpose (tests/unit/lint-layers.test.ts lints them).
      "tests/fixtures/lint/",
      "playwright-report/",
      "coverage/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      // `_name` says "deliberately unused" (a destructured field left out, a required parameter).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests and benchmarks read JSON answers whose shape the test itself asserts.
    files: ["tests/**", "scripts/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  ...LAYERS.map(({ files, patterns }) => ({
    files,
    rules: { "no-restricted-imports": ["error", { patterns }] },
  })),
  prettier,
);
