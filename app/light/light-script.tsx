/**
 * The address of the light pages' script (public/light/patient-page.js, bundled by
 * remix.config.js), handed from app/entry.server.tsx to app/root.tsx like the CSP nonce.
 * Only rendered on the server: the light pages are never hydrated.
 */
import { createContext, useContext } from "react";

const LightScriptContext = createContext<string | null>(null);

export const LightScriptProvider = LightScriptContext.Provider;

export function useLightScript(): string | null {
  return useContext(LightScriptContext);
}
