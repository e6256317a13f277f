/**
 * Strict UTF-8: a feed in another encoding (e.g. Windows-1252 from an old export) must be
 * rejected with a clear message, not stored with "�" where æ, ø and å were.
 */
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export class EncodingError extends Error {}

/** Decodes UTF-8 (dropping a byte-order mark) or throws EncodingError saying where it broke. */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // Find the first bad byte for the message (only on the error path).
    let offset = 0;
    for (let size: number; offset < bytes.length; offset += size) {
      const b = bytes[offset]!;
      size = b < 0x80 ? 1 : b >> 5 === 0b110 ? 2 : b >> 4 === 0b1110 ? 3 : b >> 3 === 0b11110 ? 4 : 0;
      if (size === 0) break;
      try {
        strict.decode(bytes.subarray(offset, offset + size));
      } catch {
        break;
      }
    }
    throw new EncodingError(
      `filen er ikke gyldig UTF-8 (første ugyldige byte ved posisjon ${offset}); lagre den som UTF-8 og send på nytt`,
    );
  }
}
