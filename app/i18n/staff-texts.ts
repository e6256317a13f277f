/**
 * The signed-in pages' bokmål texts in the browser (issue 24: public pages do not carry them).
 * Every signed-in route module calls withStaffTexts() at its top, so the texts are in the
 * translator before the route renders — on the first page load and on a client-side navigation
 * into the route. On the server they are there from the start (../translate.ts).
 */
import { nbStaff } from "./messages/nb-staff";
import { MESSAGES } from "./translate";

export function withStaffTexts(): void {
  Object.assign(MESSAGES.nb, nbStaff);
}
