/**
 * Atom 1.0 (RFC 4287) documents from plain data (pure). Every feed and entry has an id (a tag: URI,
 * RFC 4151), a title, an updated time (RFC 3339) and an author; links carry rel and type.
 */
import { xmlAttr, xmlText } from "./xml";

export interface AtomLink {
  href: string;
  rel?: "self" | "alternate" | "related" | "via" | "enclosure";
  type?: string;
  title?: string;
}

export interface AtomPerson {
  name: string;
  uri?: string | null;
}

export interface AtomCategory {
  term: string;
  label?: string | null;
  scheme?: string | null;
}

export interface AtomEntry {
  id: string;
  title: string;
  updated: string;
  published?: string | null;
  authors: AtomPerson[];
  links: AtomLink[];
  summary?: string | null;
  content?: string | null;
  categories?: AtomCategory[];
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string | null;
  updated: string;
  authors: AtomPerson[];
  links: AtomLink[];
  generator?: { name: string; uri?: string; version?: string };
  rights?: string | null;
  lang?: string;
  entries: AtomEntry[];
}

/** tag: URIs (RFC 4151) under the portal's host name; the date is fixed, so ids never change. */
export function tagUri(baseUrl: string, specific: string): string {
  const host = new URL(baseUrl).hostname.toLowerCase() || "localhost";
  return `tag:${host},2026:${specific}`;
}

/** RFC 3339 in UTC with no fraction ("2026-03-01T12:00:00Z"). */
export function atomDate(value: string | number | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${String(value)}`);
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

const link = (l: AtomLink, indent: string) =>
  `${indent}<link href="${xmlAttr(l.href)}"${l.rel ? ` rel="${l.rel}"` : ""}${l.type ? ` type="${xmlAttr(l.type)}"` : ""}${l.title ? ` title="${xmlAttr(l.title)}"` : ""}/>\n`;

const person = (p: AtomPerson, indent: string) =>
  `${indent}<author>\n${indent}  <name>${xmlText(p.name)}</name>\n${p.uri ? `${indent}  <uri>${xmlText(p.uri)}</uri>\n` : ""}${indent}</author>\n`;

const category = (c: AtomCategory, indent: string) =>
  `${indent}<category term="${xmlAttr(c.term)}"${c.scheme ? ` scheme="${xmlAttr(c.scheme)}"` : ""}${c.label ? ` label="${xmlAttr(c.label)}"` : ""}/>\n`;

export function renderAtom(feed: AtomFeed): string {
  let out = `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlAttr(feed.lang ?? "nb")}">\n`;
  out += `  <id>${xmlText(feed.id)}</id>\n  <title type="text">${xmlText(feed.title)}</title>\n`;
  if (feed.subtitle) out += `  <subtitle type="text">${xmlText(feed.subtitle)}</subtitle>\n`;
  out += `  <updated>${atomDate(feed.updated)}</updated>\n`;
  for (const a of feed.authors) out += person(a, "  ");
  for (const l of feed.links) out += link(l, "  ");
  if (feed.generator) {
    const g = feed.generator;
    out += `  <generator${g.uri ? ` uri="${xmlAttr(g.uri)}"` : ""}${g.version ? ` version="${xmlAttr(g.version)}"` : ""}>${xmlText(g.name)}</generator>\n`;
  }
  if (feed.rights) out += `  <rights type="text">${xmlText(feed.rights)}</rights>\n`;
  for (const e of feed.entries) {
    out += `  <entry>\n    <id>${xmlText(e.id)}</id>\n    <title type="text">${xmlText(e.title)}</title>\n    <updated>${atomDate(e.updated)}</updated>\n`;
    if (e.published) out += `    <published>${atomDate(e.published)}</published>\n`;
    for (const a of e.authors) out += person(a, "    ");
    for (const l of e.links) out += link(l, "    ");
    for (const c of e.categories ?? []) out += category(c, "    ");
    if (e.summary) out += `    <summary type="text">${xmlText(e.summary)}</summary>\n`;
    if (e.content) out += `    <content type="text">${xmlText(e.content)}</content>\n`;
    out += "  </entry>\n";
  }
  return `${out}</feed>\n`;
}
