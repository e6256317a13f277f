/**
 * The Content-Security-Policy nonce of this response (app/http/security-headers.server.ts), so
 * that <Scripts/> and <ScrollRestoration/> in app/root.tsx render their inline scripts with it.
 * Provided by app/entry.server.tsx; in the browser it is "" (browsers hide nonce attributes from
 * scripts, and React leaves attributes of hydrated elements as the server rendered them).
 */
import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
