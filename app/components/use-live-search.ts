/**
 * Results that follow the search form as the user types, for GET forms that work without
 * JavaScript too. With JavaScript:
 * - the form is submitted through Remix a moment after the last keystroke (debounced), replacing
 *   the history entry, so Back leaves the search instead of stepping through every letter; an
 *   explicit submit (Enter, the button) still adds an entry;
 * - the inputs are never re-mounted, so focus and the caret stay where they are;
 * - only filled-in fields (and no field left at its default, `data-default`) go into the URL, so
 *   the address stays short enough to bookmark and share;
 * - when the URL changes some other way (a "widen the search" link, Back), fields that are not
 *   being edited take the values from the URL.
 */
import { useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { useCallback, useEffect, useRef, type FormEvent } from "react";
import { tidyFormValues } from "./tidy-form";

export { tidyFormValues };

const TYPING_DELAY_MS = 300;

export function useLiveSearch() {
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();

  const onChange = useCallback(
    (event: FormEvent<HTMLFormElement>) => {
      const form = event.currentTarget;
      const target = event.target as HTMLInputElement;
      const typing = target.tagName === "INPUT" && target.type !== "checkbox" && target.type !== "radio";
      clearTimeout(timer.current);
      timer.current = setTimeout(
        () =>
          submit(tidyFormValues(form), {
            method: "get",
            action: form.getAttribute("action") ?? undefined,
            replace: true,
            preventScrollReset: true,
          }),
        typing ? TYPING_DELAY_MS : 0,
      );
    },
    [submit],
  );

  const onSubmit = useCallback(
    (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      clearTimeout(timer.current);
      const form = event.currentTarget;
      submit(tidyFormValues(form), {
        method: "get",
        action: form.getAttribute("action") ?? undefined,
        preventScrollReset: true,
      });
    },
    [submit],
  );

  useEffect(() => () => clearTimeout(timer.current), []);

  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    for (const element of Array.from(form.elements)) {
      if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) continue;
      if (!element.name || element.type === "hidden" || element === document.activeElement) continue;
      const fromUrl = searchParams.get(element.name) ?? element.dataset.default ?? "";
      if (element instanceof HTMLSelectElement) {
        const exists = Array.from(element.options).some((o) => o.value === fromUrl);
        element.value = exists ? fromUrl : (element.options[0]?.value ?? "");
      } else if (element.value !== fromUrl) element.value = fromUrl;
    }
  }, [searchParams]);

  const busy =
    navigation.state === "loading" &&
    navigation.location.pathname === (formRef.current ? new URL(formRef.current.action).pathname : "");
  return { formRef, onChange, onSubmit, busy };
}
