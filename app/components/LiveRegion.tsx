/**
 * The page's one polite live region for live updates ("1 ny studie i resultatene", "Studien er
 * oppdatert"). Rendered empty with the page so screen readers know it before anything is put in
 * it; visually hidden (the page itself shows the change); never takes focus.
 */
export function LiveRegion({ message }: { message: string }) {
  return (
    <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-live-region="">
      {message}
    </p>
  );
}
