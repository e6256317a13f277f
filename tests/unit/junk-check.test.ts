/** Which records are held for an editor: test/example titles and links the public cannot open. */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  heldLinkReasons,
  junkReasons,
  publicLinks,
  testTitleReason,
  unreachableLinkReason,
} from "#app/domain/junk-check";
import { itShared, readFixture, sharedData } from "../helpers/shared-data";

describe("testTitleReason", () => {
  it.each([
    ["test", true],
    ["Test", true],
    ["TEST!", true],
    ["  test 2 ", true],
    ["Testing testing", true],
    ["teststudie", true],
    ["Exemple d'un essai clinique", true],
    ["Exemple d’un essai clinique", true],
    ["Example of a clinical trial", true],
    ["Eksempel på en studie", true],
    ["Dette er en test", true],
    ["[TEST] Ny behandling", true],
    ["Lorem ipsum dolor sit amet", true],
    ["dummy", true],
    // Real titles that use the words in their ordinary sense are not junk.
    ["Test of a new blood test for early detection of colorectal cancer", false],
    ["Testing a digital tool for depression in primary care", false],
    ["A test-retest reliability study of the 6-minute walk test", false],
    ["Ny blodprøve (test) for tidlig påvisning av tarmkreft", false],
    ["Testosterone therapy in older men", false],
    ["Example-based learning for nursing students: a randomised trial", false],
    ["Ung og ADHD", false],
    ["Exemplary care after hip fracture", false],
    ["", false],
    [null, false],
  ])("%j → held: %s", (title, held) => {
    expect(testTitleReason(title) != null).toBe(held);
  });
});

describe("unreachableLinkReason", () => {
  it.each([
    ["http://stolav.hn1-02.int-hn.nhn.no/kliniske-studier/ung-og-adhd", true],
    ["http://finnmarkssykehuset.hn1-02.int-hn.nhn.no/seksjon-klinisk/Sider/test.aspx", true],
    ["http://localhost:3000/studie", true],
    ["http://intranett/studier/1", true],
    ["https://10.2.3.4/x", true],
    ["https://172.20.0.1/x", true],
    ["https://192.168.1.10/x", true],
    ["http://127.0.0.1/", true],
    ["http://169.254.1.1/", true],
    ["http://[::1]/", true],
    ["http://[fd12:3456::1]/", true],
    ["https://studier.sykehus.local/1", true],
    ["https://www.example.com/study", true],
    ["https://studie.test/", true],
    ["not a url", true],
    // Public hosts.
    ["https://stolav.no/kliniske-studier/ung-og-adhd", false],
    ["https://www.helsenorge.no/kliniske-studier/", false],
    ["https://clinicaltrials.gov/study/NCT06113666", false],
    ["https://8.8.8.8/", false],
    ["https://172.32.0.1/", false],
    ["http://[2001:db8::1]/", false],
    ["https://nhn.no/", false],
    ["https://example.no/studie", false],
  ])("%s → unreachable: %s", (url, unreachable) => {
    expect(unreachableLinkReason(url) != null).toBe(unreachable);
  });
});

describe("junkReasons", () => {
  it("collects every reason, once", () => {
    expect(
      junkReasons({
        title: { nb: "test", en: "test" },
        links: [
          { url: "http://a.int-hn.nhn.no/x" },
          { url: "http://a.int-hn.nhn.no/x" },
          { url: "https://stolav.no/" },
        ],
      }),
    ).toEqual(["tittelen «test» ser ut som en testpost"]);
  });
  it("holds an unreachable link on its own, once, and keeps the public ones", () => {
    const links = [
      { url: "http://a.int-hn.nhn.no/x" },
      { url: "http://a.int-hn.nhn.no/x" },
      { url: "https://stolav.no/" },
    ];
    expect(heldLinkReasons({ links })).toEqual([
      "lenken går til a.int-hn.nhn.no, et internt eller reservert domene; publikum kan ikke åpne den",
    ]);
    expect(publicLinks(links)).toEqual([{ url: "https://stolav.no/" }]);
  });
  it("finds nothing in a real study", () => {
    expect(
      junkReasons({ title: { nb: "Ung og ADHD" }, links: [{ url: "https://stolav.no/studier/ung-og-adhd" }] }),
    ).toEqual([]);
  });
});

const LISTING = "norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json";
const CTGOV_SET = "ctgov-v2/ctgov_v2_studies.jsonl.gz";
describe("on real titles (the listing and the whole ClinicalTrials.gov set need ../shared/data; ECLAIRE is vendored)", () => {
  itShared(LISTING, "holds only the listing's 'test' record among the hospital listing's 47 titles", () => {
    const listing = JSON.parse(readFileSync(sharedData(LISTING), "utf8")) as { id: string; tittel: string }[];
    expect(listing.filter((r) => testTitleReason(r.tittel)).map((r) => String(r.id))).toEqual(["234071"]);
  });
  it("holds the ECLAIRE guide's illustrative example and none of the 20 real ECLAIRE trials", () => {
    const early = JSON.parse(
      readFixture("fhir-researchstudy/ResearchStudy-2022-500520-30-00.r4.json").toString("utf8"),
    ) as { title: string };
    expect(testTitleReason(early.title)).toMatch(/eksempel/);
    const bundle = JSON.parse(
      readFixture("fhir-researchstudy/ECLAIRE-Bundle-searchset-20-ResearchStudy.r4.json").toString("utf8"),
    ) as {
      entry: { resource: { resourceType: string; title?: string } }[];
    };
    const titles = bundle.entry
      .filter((e) => e.resource.resourceType === "ResearchStudy")
      .map((e) => e.resource.title ?? "");
    expect(titles).toHaveLength(20);
    expect(titles.filter((t) => testTitleReason(t))).toEqual([]);
  });
  itShared(CTGOV_SET, "holds none of the 1,202 ClinicalTrials.gov titles (many use 'test' in a medical sense)", () => {
    const lines = gunzipSync(readFileSync(sharedData(CTGOV_SET)))
      .toString("utf8")
      .split("\n")
      .filter(Boolean);
    const titles = lines.flatMap((l) => {
      const id = (
        JSON.parse(l) as { protocolSection: { identificationModule: { briefTitle?: string; officialTitle?: string } } }
      ).protocolSection.identificationModule;
      return [id.briefTitle ?? "", id.officialTitle ?? ""];
    });
    expect(titles.filter((t) => /\btest/i.test(t)).length).toBeGreaterThan(20);
    expect(titles.filter((t) => testTitleReason(t))).toEqual([]);
  });
});
