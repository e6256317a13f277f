/**
 * A delivery held in flight: the request's headers are sent with `Expect: 100-continue` and the
 * body is held back until the test calls `send()`, so a test can signal the server while the
 * request is being handled (graceful-shutdown tests, one process or several).
 */
import http from "node:http";

export interface HeldDelivery {
  /** Sends the held body; resolves with the answer. */
  send(): Promise<{ status: number; text: string }>;
}

/** Resolves once the server has read the headers and is handling the request. */
export async function holdDelivery(url: string, method: string, token: string, body: string): Promise<HeldDelivery> {
  const req = http.request(url, {
    method,
    agent: false,
    headers: {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body),
      Authorization: `Bearer ${token}`,
      Expect: "100-continue",
    },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
  const continued = new Promise<void>((resolve) => req.once("continue", () => resolve()));
  req.flushHeaders();
  await continued;
  return {
    send() {
      req.end(body);
      return response;
    },
  };
}
