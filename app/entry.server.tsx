/**
 * Remix 2's default Node server entry (isbot + renderToPipeableStream, streaming kept), plus the
 * per-request Content-Security-Policy nonce from the load context (server.ts → getLoadContext →
 * res.locals.cspNonce set by app/http/security-headers.server.ts). React puts it on the scripts
 * it streams, RemixServer on the single-fetch data scripts, and NonceProvider hands it to
 * <Scripts/> and <ScrollRestoration/> in app/root.tsx. Without a nonce (a request that did not
 * come through server.ts) the scripts render without one, and a strict CSP would block them.
 * And `handleDataRequest` gives loader data its own Cache-Control (app/http/data-cache.server.ts),
 * so the live refresh of open pages never reads stale data. Error documents are `private,
 * no-store` (issue 22). `handleError` logs errors without the request's query (and a public
 * page's path): docs/privacy.md.
 */
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { readCookie, sessionCookieName } from "./auth/cookies.server";
import { logRequestError } from "./http/logging.server";
import { reactHtmlStream } from "./http/react-stream.server";
import { LightScriptProvider } from "./light/light-script";
import { lightScriptUrl } from "./light/light-script.server";

export { handleDataRequest } from "./http/data-cache.server";

/** Errors while answering: logged without the query, and for public pages without the path (docs/privacy.md). */
export function handleError(error: unknown, { request }: { request: Request }) {
  logRequestError(error, request);
}

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
  // An error page (403, 404, 500 …) is drawn by an error boundary whose route may set no headers:
  // never cached by anyone when it has no Cache-Control of its own, and never when the request is
  // signed in (a signed-in 403/404 must not be kept in a shared cache or the browser's history).
  if (
    responseStatusCode >= 400 &&
    (!responseHeaders.has("Cache-Control") || readCookie(request, sessionCookieName()) !== null)
  ) {
    responseHeaders.set("Cache-Control", "private, no-store");
  }
  // Crawlers (and SPA mode) get the whole document at once; browsers get the shell first.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  const nonce = nonceOf(loadContext);

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      // Not a PassThrough: React 18 can leave NUL bytes at a chunk's end (react-stream.server.ts).
      const body = reactHtmlStream();
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
