/** JSON errors with one stable shape for every API route: { error: { status, code, message, details? } }. */
export function apiError(
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers?: HeadersInit,
): Response {
  return Response.json(
    { error: { status, code, message, ...(details === undefined ? {} : { details }) } },
    { status, headers },
  );
}

/**
 * Reads a request body, refusing more than `max` bytes (checked before and while reading).
 *
 * A refused body is not cancelled (that destroys the request and its socket, and the client gets
 * a connection reset instead of the 413), and not left unread either (closing a socket with
 * unread data makes the kernel send a reset, which can overtake the answer). Up to `max` more
 * bytes are read and dropped, so a sender a little over the limit always gets its 413; beyond
 * that the caller's Connection: close ends it. The work is bounded like an accepted body.
 */
export async function readBodyWithLimit(request: Request, max: number): Promise<Buffer | "too-large"> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (!request.body) return Number.isFinite(declared) && declared > max ? "too-large" : Buffer.alloc(0);
  const reader = request.body.getReader();
  if (Number.isFinite(declared) && declared > max) {
    await discard(reader, declared <= 2 * max ? max : 0);
    return "too-large";
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await discard(reader, max);
      return "too-large";
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** Reads and drops up to `budget` bytes of the rest of a body; then lets go of it. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
  let seen = 0;
  while (seen <= budget) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
  }
  reader.releaseLock();
}

/** An API error a handler can throw; the read API turns it into apiError(...) with CORS headers. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** 400 for bad query or path parameters: every parameter with why, the first one in the message. */
export function invalidParameters(
  message: string,
  parameters: readonly { name: string; message: string; value?: string }[],
): ApiError {
  return new ApiError(400, "invalid_parameter", message, { parameters });
}

/**
 * SQLite's storage failures (a full disk or file-size limit, a read-only database, an I/O error)
 * as a JSON answer that names the cause; null for any other error. Each study is written in its
 * own savepoint, so what was stored before the failure is whole and nothing is half-written.
 */
export function storageErrorResponse(error: unknown): Response | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return null;
  const cause = `${code}: ${(error as Error).message}`;
  const after =
    "Studier som ble lagret før feilen er hele, og ingen studie er halvveis lagret. Send leveransen på nytt når feilen er rettet; det som alt er lagret, endres ikke.";
  if (code === "SQLITE_FULL")
    return apiError(
      507,
      "insufficient_storage",
      `Lagringen er full (disken eller filgrensen for databasen) (${cause}). ${after}`,
    );
  if (code.startsWith("SQLITE_READONLY"))
    return apiError(503, "database_read_only", `Databasen kan bare leses nå (${cause}). ${after}`);
  if (code.startsWith("SQLITE_IOERR"))
    return apiError(
      503,
      "storage_error",
      `Lagringen feilet (skrivefeil på disken, f.eks. full disk eller filgrense) (${cause}). ${after}`,
    );
  return null;
}
