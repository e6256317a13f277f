/**
 * Interface text in Norwegian bokmål: the source language. Every other language must have exactly
 * these keys (checked by the type of nn.ts and en.ts). `{name}` marks a value filled in at run
 * time; keys ending in `.one` / `.other` are singular and plural of the same phrase.
 *
 * Two parts: what public pages use (nb-public.ts, in every page's bundle) and what only the
 * signed-in pages use (nb-staff.ts, loaded by those routes). Import `nb` on the server or in
 * signed-in code; public browser code reaches the texts through the translator (../translate.ts).
 */
import { nbPublic } from "./nb-public";
import { nbStaff } from "./nb-staff";

export const nb = { ...nbPublic, ...nbStaff } as const;

export type MessageKey = keyof typeof nb;
export type Messages = Record<MessageKey, string>;
