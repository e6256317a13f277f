/**
 * A real Server-Sent Events client over node:http (no EventSource library): parses the stream as
 * the HTML standard says (fields id/event/data/retry, comments, CR/LF/CRLF line ends, a blank line
 * dispatches) and lets a test wait for events. Waiting has a generous safety timeout so a broken
 * stream fails the test instead of hanging it; nothing asserts on how long anything took.
 */
import http from "node:http";

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry: number | null = null;
  ended = false;
  private buffer = "";
  private current: { id: string | null; event: string; data: string[] } = { id: null, event: "", data: [] };
  private waiters: (() => void)[] = [];

  private constructor(
    readonly status: number,
    readonly headers: http.IncomingHttpHeaders,
    private readonly req: http.ClientRequest,
    private readonly res: http.IncomingMessage,
  ) {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => this.feed(chunk));
    const end = () => {
      this.ended = true;
      this.wake();
    };
    res.on("end", end);
    res.on("close", end);
    res.on("error", end);
  }

  /** Opens the stream; resolves when the response head arrived (any status). */
  static connect(url: string, headers: Record<string, string> = {}, agent?: http.Agent): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = http.request(url, { headers: { Accept: "text/event-stream", ...headers }, agent });
      req.on("response", (res) => resolve(new SseClient(res.statusCode ?? 0, res.headers, req, res)));
      req.on("error", reject);
      req.end();
    });
  }

  /** The whole body of a non-stream answer (e.g. a 400 JSON error). */
  async text(): Promise<string> {
    await this.until(() => this.ended);
    return this.buffer;
  }

  /** Waits until an event matching `match` has arrived (looking at events from index `from`). */
  async next(match: (e: SseEvent) => boolean, from = 0, safetyMs = 30_000): Promise<SseEvent> {
    let found: SseEvent | undefined;
    await this.until(
      () => (found = this.events.slice(from).find(match)) !== undefined,
      safetyMs,
      () => `no matching event; got ${JSON.stringify(this.events.map((e) => [e.id, e.event]))}`,
    );
    return found!;
  }

  async until(
    condition: () => boolean,
    safetyMs = 30_000,
    describe: () => string = () => "condition not met",
  ): Promise<void> {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`SSE: ${describe()} (stream ended: ${this.ended})`)), safetyMs);
      const check = () => {
        if (condition()) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        } else if (this.ended && !condition()) {
          // Nothing more can arrive.
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          reject(new Error(`SSE: ${describe()} and the stream ended`));
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  /** Drops the connection from the client side (like a network failure or a closed tab). */
  close(): void {
    this.req.destroy();
    this.res.destroy();
  }

  /** The id of the last event that had one (what EventSource would send as Last-Event-ID). */
  lastEventId(): string | null {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i]!.id != null) return this.events[i]!.id;
    return null;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    if (this.status !== 200) return this.wake();
    let pending = this.pendingText + chunk;
    let m: RegExpExecArray | null;
    const lineEnd = /\r\n|\r|\n/;
    while ((m = lineEnd.exec(pending))) {
      // A lone CR at the very end may be the first half of CRLF: wait for more.
      if (m[0] === "\r" && m.index === pending.length - 1) break;
      this.line(pending.slice(0, m.index));
      pending = pending.slice(m.index + m[0].length);
    }
    this.pendingText = pending;
    this.wake();
  }
  private pendingText = "";

  private line(line: string): void {
    if (line === "") {
      if (this.current.data.length) {
        this.events.push({
          id: this.current.id,
          event: this.current.event || "message",
          data: this.current.data.join("\n"),
        });
      }
      this.current = { id: null, event: "", data: [] };
      return;
    }
    if (line.startsWith(":")) {
      this.comments.push(line.slice(1).trim());
      return;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "id") this.current.id = value;
    else if (field === "event") this.current.event = value;
    else if (field === "data") this.current.data.push(value);
    else if (field === "retry" && /^\d+$/.test(value)) this.retry = Number(value);
  }
}

export const json = <T = any>(e: SseEvent): T => JSON.parse(e.data) as T;
