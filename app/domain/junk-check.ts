/**
 * Records that must not reach the public without an editor looking at them first: test and
 * example records ("test", "Exemple d'un essai clinique") and records whose links point to hosts
 * the public cannot reach (intranet hosts such as *.int-hn.nhn.no, localhost, private IP
 * addresses, single-label host names, reserved example/test domains). Pure.
 *
 * The ingest service stores such a record but holds it unpublished with these reasons; an editor
 * can still publish it deliberately. The title rules are deliberately narrow: a real title that
 * merely uses "test" in a medical sense ("Test of a new blood test for …") is not junk. A title is
 * junk only when it is nothing but a placeholder word (optionally numbered: "test 2", "Testing
 * 123"), or opens with an example/test phrase ("Exemple d'un …", "Example of a …", "Eksempel på
 * …", "Dette er en test").
 */

export interface JunkCheckInput {
  title: { nb?: string | null; nn?: string | null; en?: string | null };
  links: { url: string }[];
}

/** Whole titles that are placeholders, not studies (compared lower-case, without punctuation). */
const PLACEHOLDER_WORDS = new Set([
  "test",
  "tests",
  "testing",
  "teste",
  "testen",
  "testet",
  "testpost",
  "teststudie",
  "test studie",
  "test study",
  "test record",
  "test trial",
  "testtittel",
  "test tittel",
  "test title",
  "dummy",
  "dummy study",
  "dummy title",
  "example",
  "example study",
  "example trial",
  "eksempel",
  "eksempelstudie",
  "eksempel studie",
  "exemple",
  "ejemplo",
  "beispiel",
  "sample",
  "sample study",
  "placeholder",
  "tittel",
  "title",
  "todo",
  "tbd",
  "asdf",
  "xxx",
  "abc",
  "foo",
  "foobar",
  "lorem ipsum",
]);

/** Openings that mark an illustrative or test record, whatever follows. */
const EXAMPLE_OPENINGS: RegExp[] = [
  /^exemple d(?:'|’|e |u |es )/, // French: "Exemple d'un essai clinique"
  /^example (?:of (?:a|an|the) |study|trial|record)/,
  /^an example (?:of|study|trial)/,
  /^eksempel (?:på|paa) /,
  /^eksempelstudie\b/,
  /^ejemplo de /,
  /^beispiel (?:für|einer|eines) /,
  /^(?:dette|detta) er (?:en|ei|eit|et) test/,
  /^this is (?:a|an) (?:test|example|dummy)\b/,
  /^(?:\[|\()\s*(?:test|dummy|example|eksempel)\s*(?:\]|\))/,
  /^lorem ipsum\b/,
];

function normalise(title: string): string {
  return title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** Why this title looks like a test or an example, or null when it looks like a real study. */
export function testTitleReason(title: string | null | undefined): string | null {
  if (!title) return null;
  const text = normalise(title);
  // "test", "Test!", "test 2", "TEST-123", "testing testing": a placeholder word, maybe numbered.
  const bare = text
    .replace(/[^\p{L}\p{N} ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const withoutNumbers = bare
    .replace(/(?:^| )\d+(?= |$)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const words = withoutNumbers.split(" ").filter(Boolean);
  const repeated = words.length > 1 && words.every((w) => w === words[0]) ? words[0]! : null;
  if (PLACEHOLDER_WORDS.has(withoutNumbers) || (repeated && PLACEHOLDER_WORDS.has(repeated))) {
    return `tittelen «${title.trim().slice(0, 80)}» ser ut som en testpost`;
  }
  if (EXAMPLE_OPENINGS.some((re) => re.test(text))) {
    return `tittelen «${title.trim().slice(0, 80)}» ser ut som et eksempel eller en testpost`;
  }
  return null;
}

/** Domain suffixes the public internet never resolves (RFC 2606/6761/8375) or that name intranets. */
const PRIVATE_SUFFIXES = [
  ".int-hn.nhn.no", // Norsk helsenett's internal hospital network (the listing's test environment)
  ".localhost",
  ".local",
  ".localdomain",
  ".internal",
  ".intranet",
  ".intern",
  ".lan",
  ".corp",
  ".home.arpa",
  ".test",
  ".example",
  ".invalid",
];
/** Reserved for documentation (RFC 2606); not example.no, which is an ordinary Norwegian domain. */
const EXAMPLE_DOMAINS = ["example.com", "example.org", "example.net"];

function ipv4Private(host: string): boolean | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

function ipv6Private(host: string): boolean | null {
  if (!host.startsWith("[") || !host.endsWith("]")) return null;
  const h = host.slice(1, -1).toLowerCase();
  if (h === "::1" || h === "::") return true;
  if (/^f[cd][0-9a-f]{2}:/.test(h)) return true; // unique local fc00::/7
  if (/^fe[89ab][0-9a-f]:/.test(h)) return true; // link-local fe80::/10
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return ipv4Private(mapped[1]!) ?? false;
  return false;
}

/** Why the public cannot open this link, or null when its host is a public one. */
export function unreachableLinkReason(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).host.replace(/:\d+$/, "").toLowerCase().replace(/\.$/, "");
  } catch {
    return `lenken «${url.slice(0, 120)}» er ikke en gyldig adresse`;
  }
  const say = (why: string) => `lenken går til ${host}, ${why}; publikum kan ikke åpne den`;
  if (host.startsWith("[")) return ipv6Private(host) ? say("en privat eller lokal IP-adresse") : null;
  const v4 = ipv4Private(host);
  if (v4 != null) return v4 ? say("en privat eller lokal IP-adresse") : null;
  if (host === "localhost") return say("maskinen selv (localhost)");
  if (!host.includes(".")) return say("et navn uten domene (bare i et internt nett)");
  if (PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix) || host === suffix.slice(1)))
    return say("et internt eller reservert domene");
  if (EXAMPLE_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`))) return say("et eksempeldomene");
  return null;
}

/**
 * Every reason to hold this study for an editor (empty: nothing looks wrong): a title that says
 * it is a test or an example. A link the public cannot open is not a reason to hide the study —
 * hiding an open study is worse than a short page — so such a link is held on its own: stored,
 * named in the run's warnings, and left out of every public surface (publicLinks).
 */
export function junkReasons(study: JunkCheckInput): string[] {
  const reasons: string[] = [];
  const titles = [study.title.nb, study.title.nn, study.title.en].filter((t): t is string => !!t);
  for (const title of new Set(titles)) {
    const reason = testTitleReason(title);
    if (reason) reasons.push(reason);
  }
  return reasons;
}

/** Why each of the study's links cannot be shown to the public (empty: all can). */
export function heldLinkReasons(study: Pick<JunkCheckInput, "links">): string[] {
  return [...new Set(study.links.map((l) => l.url))].map(unreachableLinkReason).filter((r): r is string => r != null);
}

/** The links the public can open; the others stay stored for the editor. */
export function publicLinks<T extends { url: string }>(links: readonly T[]): T[] {
  return links.filter((l) => unreachableLinkReason(l.url) == null);
}
