/** JSON errors with one stable shape for every API route: { error: { status, code, message, details? } }. */
export function apiError(status: number, code: string, message: string, details?: unknown, headers?: HeadersInit): Response {
  return Response.json({ error: { status, code, message, ...(details === undefined ? {} : { details }) } }, { status, headers });
}

/** Reads a request body, refusing more than `max` bytes (checked before and while reading). */
export async function readBodyWithLimit(request: Request, max: number): Promise<Buffer | "too-large"> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > max) return "too-large";
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      // Stop reading, but do not cancel: cancelling destroys the request and with it the socket,
      // so the client would get a connection reset instead of the 413. The caller answers with
      // Connection: close, and the server closes the connection once the answer is sent.
      reader.releaseLock();
      return "too-large";
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
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
  const after = "Studier som ble lagret før feilen er hele, og ingen studie er halvveis lagret. Send leveransen på nytt når feilen er rettet; det som alt er lagret, endres ikke.";
  if (code === "SQLITE_FULL") return apiError(507, "insufficient_storage", `Lagringen er full (disken eller filgrensen for databasen) (${cause}). ${after}`);
  if (code.startsWith("SQLITE_READONLY")) return apiError(503, "database_read_only", `Databasen kan bare leses nå (${cause}). ${after}`);
  if (code.startsWith("SQLITE_IOERR")) return apiError(503, "storage_error", `Lagringen feilet (skrivefeil på disken, f.eks. full disk eller filgrense) (${cause}). ${after}`);
  return null;
}
