/**
 * React 18.3's streaming renderer writes HTML into a reused 2,048-byte buffer with
 * TextEncoder.encodeInto. When a multi-byte character (å, ø, –) does not fit at the end of the
 * buffer, encodeInto stops early, yet React flushes the whole buffer: the unwritten bytes go out
 * as NUL characters ("n\0år"). Fixed in React 19 (facebook/react#26228), never in 18. Our HTML
 * never holds a NUL of its own (ingest removes control characters from every text), so the NUL
 * bytes at the end of a chunk are exactly the unwritten ones: at most three, one character's worth.
 */
import { Transform } from "node:stream";

/** The chunk without the NUL bytes React left unwritten at its end (at most 3). */
export function withoutUnwrittenTail(chunk: Buffer): Buffer {
  let end = chunk.length;
  while (end > 0 && chunk.length - end < 3 && chunk[end - 1] === 0) end--;
  return end === chunk.length ? chunk : chunk.subarray(0, end);
}

/** A pass-through for renderToPipeableStream's output that drops those NUL bytes. */
export function reactHtmlStream(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, withoutUnwrittenTail(chunk));
    },
  });
}
