/**
 * Nynorsk, English and the signed-in pages' bokmål for the server, which answers in every language. `.server`: in the browser
 * Remix replaces this module with an empty one, so a page's bundle carries bokmål only and the
 * browser loads nynorsk or English as its own chunk before it hydrates a page in that language
 * (loadLanguage in ../translate.ts, called by app/entry.client.tsx; issue 24).
 */
export { en } from "./en";
export { nbStaff } from "./nb-staff";
export { nn } from "./nn";
