/**
 * A search form's values as a tidy query: pure DOM, no React, so the hydrated pages
 * (use-live-search.ts) and the light patient pages (app/light/patient-page.ts) share it.
 */

/** The form's values without empty fields and without fields left at their `data-default`. */
export function tidyFormValues(form: HTMLFormElement): URLSearchParams {
  const params = new URLSearchParams();
  for (const element of Array.from(form.elements)) {
    if (
      !(element instanceof HTMLInputElement || element instanceof HTMLSelectElement) ||
      !element.name ||
      element.disabled
    )
      continue;
    const value = element.value;
    if (value.trim() === "" || value === element.dataset.default) continue;
    params.append(element.name, value);
  }
  return params;
}
