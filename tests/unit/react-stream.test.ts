/** React 18's unwritten buffer tail (app/http/react-stream.server.ts): NUL bytes dropped, nothing else. */
import { describe, expect, it } from "vitest";
import { withoutUnwrittenTail } from "#app/http/react-stream.server";

const b = (...bytes: number[]) => Buffer.from(bytes);

describe("withoutUnwrittenTail", () => {
  it.each([
    ["no NUL: the same chunk", b(0x6e, 0xc3, 0xa5), b(0x6e, 0xc3, 0xa5)],
    ["one unwritten byte (a 2-byte å did not fit)", b(0x48, 0x6e, 0x00), b(0x48, 0x6e)],
    ["two unwritten bytes (a 3-byte – did not fit)", b(0x48, 0x00, 0x00), b(0x48)],
    ["three unwritten bytes (a 4-byte emoji did not fit)", b(0x48, 0x00, 0x00, 0x00), b(0x48)],
    ["never more than three", b(0x48, 0x00, 0x00, 0x00, 0x00), b(0x48, 0x00)],
    ["a NUL inside the chunk is not React's tail and stays", b(0x48, 0x00, 0x49), b(0x48, 0x00, 0x49)],
    ["an empty chunk", b(), b()],
  ])("%s", (_name, input, expected) => {
    expect(withoutUnwrittenTail(input)).toEqual(expected);
  });
});
