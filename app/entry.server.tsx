/**
 * Remix 2's default Node server entry (isbot + renderToPipeableStream, streaming kept), plus the
 * per-request Content-Security-Policy nonce from the load context (server.ts → getLoadContext →
 * res.locals.cspNonce set by app/http/security-headers.server.ts). React puts it on the scripts
 * it streams, RemixServer on the single-fetch data scripts, and NonceProvider hands it to
 * <Scripts/> and <ScrollRestoration/> in app/root.tsx. Without a nonce (a request that did not
 * come through server.ts) the scripts render without one, and a strict CSP would block them.
 * And `handleDataRequest` gives loader data its own Cache-Control (app/http/data-cache.server.ts),
 * so the live refresh of open pages never reads stale data.
 */
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { LightScriptProvider } from "./light/light-script";
import { lightScriptUrl } from "./light/light-script.server";

export { handleDataRequest } from "./http/data-cache.server";

const ABORT_DELAY = 5_000;

function nonceOf(loadContext: AppLoadContext): string | undefined {
  const value = (loadContext as { cspNonce?: unknown } | undefined)?.cspNonce;
  return typeof value === "string" && value !== "" ? value : undefined;
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Crawlers (and SPA mode) get the whole document at once; browsers get the shell first.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  const nonce = nonceOf(loadContext);

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      const stream = createReadableStreamFromReadable(body);
      responseHeaders.set("Content-Type", "text/html");
      resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce ?? ""}>
        <LightScriptProvider value={lightScriptUrl()}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </LightScriptProvider>
      </NonceProvider>,
      {
        nonce,
        onAllReady: waitForAll ? ready : undefined,
        onShellReady: waitForAll ? undefined : ready,
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors in the shell reject and are logged by Remix; later ones only here.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
