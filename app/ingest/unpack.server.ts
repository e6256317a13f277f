/**
 * Unpacking a gzip delivery before it is mapped, streamed and stopped at a limit.
 *
 * The ingest API and the feed poller call `unpackGzipWithin` with INGEST_MAX_BYTES, so a small
 * compressed body (a "gzip bomb": 489 KB that unpacks to 480 MiB) can never come to more than the
 * limit on a plain body: the unpacking runs in zlib's worker threads (the event loop keeps
 * answering), holds at most the limit, and stops as soon as it is passed. The mappers' own
 * synchronous gunzip and zip reading (for the CLI and for input that arrives some other way) are
 * tied to the same limit through MapContext.maxUnpackedBytes.
 */
import { createGunzip } from "node:zlib";

export const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

export type Unpacked = { ok: true; bytes: Buffer } | { ok: false; reason: "too-large" | "broken"; message: string };

export function unpackGzipWithin(input: Buffer, max: number): Promise<Unpacked> {
  return new Promise((resolve) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (answer: Unpacked) => {
      if (done) return;
      done = true;
      resolve(answer);
    };
    gunzip.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        gunzip.destroy();
        finish({
          ok: false,
          reason: "too-large",
          message: `gzip-innholdet er større enn grensen på ${max} byte når det pakkes ut; ingenting er lest`,
        });
        return;
      }
      chunks.push(chunk);
    });
    gunzip.on("end", () => finish({ ok: true, bytes: Buffer.concat(chunks, size) }));
    gunzip.on("error", (error) =>
      finish({ ok: false, reason: "broken", message: `gzip-innholdet kan ikke pakkes ut: ${error.message}` }),
    );
    // Fed in slices, so that the output is read as it comes rather than all at once.
    const SLICE = 64 * 1024;
    let offset = 0;
    const feed = () => {
      while (!done && offset < input.length) {
        const slice = input.subarray(offset, offset + SLICE);
        offset += slice.length;
        if (!gunzip.write(slice)) {
          gunzip.once("drain", feed);
          return;
        }
      }
      if (!done && offset >= input.length) gunzip.end();
    };
    feed();
  });
}
