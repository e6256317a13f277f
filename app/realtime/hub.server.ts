/**
 * GET /api/v1/events — the live stream (Server-Sent Events) of the open API.
 *
 * Events, each with a stable id:
 *   study.published  a study became public (first time, or again)
 *   study.changed    a public study changed
 *   study.withdrawn  a public study was withdrawn (or unpublished: `reason` says which)
 *   study.status     a site's inclusion window opened or closed (the status scheduler)
 *   ready            sent once per connection after any replay, with the current position
 *
 * One total order: study changes in change-log order (migration 0009), each status event placed
 * after the change-log head it was written at (migration 0010). An event's id is the position
 * after it, "<change seq>-<status seq>", so `Last-Event-ID: 120-7` means "I have everything up to
 * change 120 and status event 7": reconnecting replays exactly what came later, in the same order
 * with the same ids (at most REPLAY_LIMIT per connection; then `replay.truncated` and the stream
 * ends so the client reconnects from there). Clients that cannot send headers may pass
 * `?lastEventId=`. Comments (": …") every heartbeat keep proxies from closing an idle stream.
 *
 * Changes are read from the database, never taken from memory: an in-process save wakes the hub at
 * once (study-events), a write by another process (a CLI ingest) is found by a cheap check of the
 * two heads every `pollMs`. Clients are dropped on close, on error and when they stop reading.
 * See docs/decisions/0006-live-events.md.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StudyChangeEventOut, StudyStatusEventOut } from "#app/api/feed-schemas";
import { changeKind, studyApiUrl, studyVersionsUrl, studyWebUrl, type Urls } from "#app/api/represent";
import type { Db } from "#app/db.server";
import {
  changesAfter,
  statusEventsAfter,
  streamHeads,
  type StatusEventRow,
  type StreamChangeRow,
  type StreamHeads,
} from "#app/models/realtime.server";
import { studyEvents } from "#app/models/study-events.server";
import { StatusScheduler, type Clock } from "./status-scheduler.server";

export const EVENTS_PATH = "/api/v1/events";
export const REPLAY_LIMIT = 1000;
const READ_BATCH = 500;
/** A client whose unsent data grows past this is not reading: it is dropped (it can reconnect and replay). */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface HubOptions {
  db: Db;
  urls: Urls;
  heartbeatMs?: number;
  /** How often the heads are checked for writes by other processes. */
  pollMs?: number;
  maxClients?: number;
  /** Most open streams one client (clientOf) may hold at once; further ones are 429 (default 20). */
  maxPerClient?: number;
  /** The client a request comes from (the address, or the trusted proxy's X-Forwarded-For); null = unknown. */
  clientOf?: (req: IncomingMessage) => string | null;
  clock?: Clock;
  log?: (message: string) => void;
  /** Whether this hub runs the status scheduler (default true; in a cluster only the leader's does). */
  runScheduler?: boolean;
}

export interface StreamEvent {
  id: string;
  event: string;
  data: unknown;
}

interface Client {
  res: ServerResponse;
  key: string | null;
}

export class InvalidEventIdError extends Error {}

/** "120-7" → the position; a bare "120" (a /api/v1/changes cursor) means change 120 and every status event up to now. */
export function parseEventId(raw: string, heads: StreamHeads): StreamHeads {
  const text = raw.trim();
  const m = /^(\d{1,15})(?:-(\d{1,15}))?$/.exec(text);
  if (!m) {
    throw new InvalidEventIdError(
      `Last-Event-ID «${text.slice(0, 40)}» er ugyldig: bruk id-en fra den siste hendelsen du fikk (formen <endring>-<status>, f.eks. 120-7).`,
    );
  }
  const pos = { change: Number(m[1]), status: m[2] != null ? Number(m[2]) : heads.status };
  if (pos.change > heads.change || pos.status > heads.status) {
    throw new InvalidEventIdError(
      `Last-Event-ID «${text}» er forbi slutten av loggen (${heads.change}-${heads.status}): bruk en id fra denne portalen.`,
    );
  }
  return pos;
}

export const formatId = (p: StreamHeads) => `${p.change}-${p.status}`;

/** One SSE frame. Data is JSON on one line (JSON.stringify never emits a raw newline). */
export function frame(e: StreamEvent): string {
  return `id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

function changeEvent(row: StreamChangeRow, urls: Urls): { event: string; data: unknown } | null {
  const kind = changeKind(row.state, row.previousState);
  if (!kind) return null;
  const event = kind === "published" ? "study.published" : kind === "changed" ? "study.changed" : "study.withdrawn";
  // The payload is documented by #/components/schemas/StudyChangeEvent (app/api/feed-schemas.ts).
  const data: StudyChangeEventOut = {
    type: event,
    ...(kind === "withdrawn" || kind === "unpublished" ? { reason: kind } : {}),
    studyId: row.studyId,
    version: row.version,
    at: row.createdAt,
    title: row.title,
    leadOrganisationId: row.leadOrganisationId,
    organisations: row.organisations,
    changeCursor: String(row.seq),
    links: {
      study: studyApiUrl(urls, row.studyId),
      web: studyWebUrl(urls, row.studyId),
      versions: studyVersionsUrl(urls, row.studyId),
    },
  };
  return { event, data };
}

function statusEvent(row: StatusEventRow, urls: Urls): { event: string; data: unknown } {
  // Stored as written by the scheduler from the domain's statuses; documented by StudyStatusEvent.
  const data = {
    type: "study.status",
    studyId: row.studyId,
    at: row.at,
    status: row.status,
    previousStatus: row.previousStatus,
    sites: row.sites,
    links: { study: studyApiUrl(urls, row.studyId), web: studyWebUrl(urls, row.studyId) },
  } as StudyStatusEventOut;
  return { event: "study.status", data };
}

/**
 * Merges changes and status events after `from` into the one order (see the header) and gives each
 * its id. `onChange` sees every change row read, public or not (the scheduler re-plans on them).
 */
export function orderEvents(
  from: StreamHeads,
  changes: readonly StreamChangeRow[],
  statuses: readonly StatusEventRow[],
  urls: Urls,
): { events: StreamEvent[]; position: StreamHeads } {
  const events: StreamEvent[] = [];
  const pos = { ...from };
  let i = 0;
  let j = 0;
  while (i < changes.length || j < statuses.length) {
    const c = changes[i];
    const s = statuses[j];
    // A status event written at head h comes after change h and before change h + 1.
    if (c && (!s || c.seq <= s.afterChange)) {
      i++;
      pos.change = c.seq;
      const e = changeEvent(c, urls);
      if (e) events.push({ id: formatId(pos), ...e });
    } else if (s) {
      j++;
      pos.status = s.seq;
      pos.change = Math.max(pos.change, s.afterChange);
      events.push({ id: formatId(pos), ...statusEvent(s, urls) });
    }
  }
  return { events, position: pos };
}

export class RealtimeHub {
  readonly scheduler: StatusScheduler;
  private readonly clients = new Set<Client>();
  private readonly db: Db;
  private readonly urls: Urls;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly maxClients: number;
  private readonly maxPerClient: number;
  private readonly clientOf: (req: IncomingMessage) => string | null;
  /** Open streams per client key, so one client cannot take every slot. */
  private readonly perClient = new Map<string, number>();
  private readonly log: (message: string) => void;
  /** Everything up to here has been sent to the connected clients. */
  private position: StreamHeads = { change: 0, status: 0 };
  private heartbeat: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;
  private readonly onStudyChanged = () => this.pump();
  private started = false;
  private readonly runScheduler: boolean;

  constructor(options: HubOptions) {
    this.db = options.db;
    this.urls = options.urls;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.pollMs = options.pollMs ?? 1000;
    this.maxClients = options.maxClients ?? 10_000;
    this.maxPerClient = options.maxPerClient ?? 20;
    this.clientOf = options.clientOf ?? ((req) => req.socket.remoteAddress ?? null);
    this.log = options.log ?? ((m) => console.error(m));
    this.runScheduler = options.runScheduler ?? true;
    this.scheduler = new StatusScheduler(this.db, { clock: options.clock, onEvents: () => this.pump(), log: this.log });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.position = streamHeads(this.db);
    if (this.runScheduler) this.scheduler.start();
    this.pump();
    studyEvents().on("changed", this.onStudyChanged);
    this.poller = setInterval(() => this.pump(), this.pollMs);
    this.poller.unref();
    this.heartbeat = setInterval(() => this.broadcast(`: heartbeat ${new Date().toISOString()}\n\n`), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Ends every stream and stops the timers (server shutdown). */
  close(): void {
    this.started = false;
    studyEvents().off("changed", this.onStudyChanged);
    if (this.poller) clearInterval(this.poller);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.scheduler.stop();
    for (const client of this.clients) client.res.end();
    this.clients.clear();
    this.perClient.clear();
  }

  connections(): number {
    return this.clients.size;
  }

  /** Reads what was written since the last pump and sends it to every client. Synchronous. */
  pump(): void {
    if (!this.started) return;
    try {
      const heads = streamHeads(this.db);
      while (heads.change > this.position.change || heads.status > this.position.status) {
        const batch = readOrdered(this.db, this.position, heads, READ_BATCH, this.urls);
        if (batch.changedStudies.length && this.runScheduler) this.scheduler.studiesChanged(batch.changedStudies);
        this.position = batch.position;
        if (batch.events.length) this.broadcast(batch.events.map(frame).join(""));
      }
    } catch (error) {
      this.log(`live events: reading the change log failed: ${(error as Error).message}`);
    }
  }

  /** The Express/Node handler for GET /api/v1/events. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const cors = { "Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff" };
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        ...cors,
        "Access-Control-Allow-Methods": "GET, OPTIONS",
        "Access-Control-Allow-Headers": "Last-Event-ID, Cache-Control, Accept",
        "Access-Control-Max-Age": "86400",
        Allow: "GET, OPTIONS",
      });
      res.end();
      return;
    }
    if (req.method !== "GET")
      return jsonError(
        res,
        405,
        "method_not_allowed",
        `${req.method} er ikke tillatt her: hendelsesstrømmen leses med GET.`,
        { ...cors, Allow: "GET, OPTIONS" },
      );
    if (!this.started) return jsonError(res, 503, "unavailable", "Hendelsesstrømmen er ikke startet.", cors);
    if (this.clients.size >= this.maxClients) {
      return jsonError(
        res,
        503,
        "too_many_connections",
        `For mange åpne strømmer (${this.maxClients}). Prøv igjen om litt.`,
        { ...cors, "Retry-After": "10" },
      );
    }
    const key = this.clientOf(req);
    if (key !== null && (this.perClient.get(key) ?? 0) >= this.maxPerClient) {
      return jsonError(
        res,
        429,
        "too_many_streams",
        `For mange åpne strømmer fra samme klient (høyst ${this.maxPerClient}). Lukk en strøm før du åpner en ny.`,
        { ...cors, "Retry-After": "10" },
      );
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const unknown = [...new Set(url.searchParams.keys())].filter((k) => k !== "lastEventId");
    if (unknown.length) {
      return jsonError(
        res,
        400,
        "invalid_parameter",
        `Ukjent parameter: ${unknown.map((k) => k.slice(0, 40)).join(", ")} (kjent: lastEventId).`,
        cors,
        {
          parameters: unknown.map((name) => ({ name: name.slice(0, 40), message: "ukjent parameter" })),
        },
      );
    }
    const header = req.headers["last-event-id"];
    const raw = (Array.isArray(header) ? header[0] : header) || url.searchParams.get("lastEventId") || "";
    // Whatever was written a moment ago is sent to everyone first, so a replay ends where live delivery begins.
    this.pump();
    let from: StreamHeads | null = null;
    if (raw.trim()) {
      try {
        from = parseEventId(raw, this.position);
      } catch (error) {
        if (error instanceof InvalidEventIdError) {
          return jsonError(res, 400, "invalid_parameter", error.message, cors, {
            parameters: [{ name: "Last-Event-ID", message: error.message }],
          });
        }
        throw error;
      }
    }

    res.writeHead(200, {
      ...cors,
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      // nginx and similar proxies: do not buffer the stream.
      "X-Accel-Buffering": "no",
    });
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);
    let head = `: kliniske studier live events\nretry: 3000\n\n`;
    if (from) {
      const replay = readOrdered(this.db, from, this.position, REPLAY_LIMIT, this.urls);
      head += replay.events.map(frame).join("");
      if (!replay.complete) {
        const last = formatId(replay.position);
        const data = {
          type: "replay.truncated",
          lastEventId: last,
          message: "Flere hendelser venter: koble til igjen med Last-Event-ID (EventSource gjør det selv).",
          changes: `${this.urls.base}/api/v1/changes?since=${replay.position.change}`,
        };
        res.end(`${head}id: ${last}\nevent: replay.truncated\ndata: ${JSON.stringify(data)}\n\n`);
        return;
      }
    }
    head += `id: ${formatId(this.position)}\nevent: ready\ndata: ${JSON.stringify({ type: "ready", lastEventId: formatId(this.position), heartbeatSeconds: Math.round(this.heartbeatMs / 1000) })}\n\n`;
    const client: Client = { res, key };
    this.clients.add(client);
    if (key !== null) this.perClient.set(key, (this.perClient.get(key) ?? 0) + 1);
    const drop = () => this.forget(client);
    req.on("close", drop);
    res.on("close", drop);
    res.on("error", drop);
    this.send(client, head);
  }

  /** Removes a client once (close, error and a full buffer may all report the same one). */
  private forget(client: Client): void {
    if (!this.clients.delete(client) || client.key === null) return;
    const left = (this.perClient.get(client.key) ?? 1) - 1;
    if (left > 0) this.perClient.set(client.key, left);
    else this.perClient.delete(client.key);
  }

  private broadcast(text: string): void {
    for (const client of this.clients) this.send(client, text);
  }

  private send(client: Client, text: string): void {
    const { res } = client;
    if (res.destroyed || res.writableEnded) {
      this.forget(client);
      return;
    }
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.forget(client);
      res.destroy();
      return;
    }
    res.write(text);
  }
}

export interface OrderedBatch {
  events: StreamEvent[];
  /** The position after this batch (also past changes that are not public). */
  position: StreamHeads;
  /** False when the limit was reached before `upTo`: read again from `position`. */
  complete: boolean;
  /** Every study whose change was read (public or not). */
  changedStudies: number[];
}

/**
 * The events after `from` up to `upTo`, in the one order, at most about `limit` rows of each kind,
 * always ending at a position before which nothing is missing.
 */
export function readOrdered(db: Db, from: StreamHeads, upTo: StreamHeads, limit: number, urls: Urls): OrderedBatch {
  let changes = changesAfter(db, from.change, limit, upTo.change);
  const changesFull = changes.length === limit;
  let changeLimit = changesFull ? changes.at(-1)!.seq : upTo.change;
  // Status events placed before change changeLimit + 1 (they are in seq order with non-decreasing after_change).
  const statuses = statusEventsAfter(db, from.status, limit, upTo.status, changeLimit);
  const statusesFull = statuses.length === limit;
  if (statusesFull) {
    // Later status events may still belong before the changes after this one: stop there.
    changeLimit = Math.max(from.change, statuses.at(-1)!.afterChange);
    changes = changes.filter((c) => c.seq <= changeLimit);
  }
  const { events } = orderEvents(from, changes, statuses, urls);
  const complete = !changesFull && !statusesFull;
  const position = complete ? { ...upTo } : { change: changeLimit, status: statuses.at(-1)?.seq ?? from.status };
  return { events, position, complete, changedStudies: changes.map((c) => c.studyId) };
}

function jsonError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string>,
  details?: unknown,
): void {
  res.writeHead(status, { ...headers, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(JSON.stringify({ error: { status, code, message, ...(details !== undefined ? { details } : {}) } }));
}
