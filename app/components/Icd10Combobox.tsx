/**
 * Find an ICD-10 code by code or Norwegian name: an editable combobox with a list popup
 * (WAI-ARIA 1.2 combobox pattern). Keyboard: ↓/↑ move through the suggestions (↓ opens them),
 * Enter picks the highlighted one, Escape closes the list (a second Escape clears the text),
 * Tab leaves as usual. Focus stays in the input; the highlighted option is announced through
 * aria-activedescendant, the number of suggestions and what was added through a status region.
 *
 * It only exists with JavaScript: the page renders it after hydration, and the plain text field
 * of codes next to it is what the form submits either way.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslator } from "#app/i18n/use-translator";

export interface Icd10Option {
  code: string;
  nameNb: string;
}

export function Icd10Combobox({
  onSelect,
  describedBy,
}: {
  onSelect: (option: Icd10Option) => void;
  describedBy?: string;
}) {
  const id = useId();
  const { t } = useTranslator();
  const inputId = `${id}-input`;
  const listId = `${id}-list`;
  const [text, setText] = useState("");
  const [options, setOptions] = useState<Icd10Option[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [announcement, setAnnouncement] = useState("");
  const request = useRef<AbortController | null>(null);

  useEffect(() => {
    const q = text.trim();
    if (q.length === 0) {
      setOptions([]);
      setOpen(false);
      return;
    }
    // A short pause so typing "bryst" asks once, not five times; the previous request is dropped.
    const timer = setTimeout(() => {
      request.current?.abort();
      const controller = new AbortController();
      request.current = controller;
      fetch(`/forsker/icd10?q=${encodeURIComponent(q)}`, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      })
        .then((res) => (res.ok ? (res.json() as Promise<{ codes: Icd10Option[] }>) : { codes: [] }))
        .then(({ codes }) => {
          setOptions(codes);
          setActive(-1);
          setOpen(true);
          setAnnouncement(codes.length === 0 ? t("form.icd10.none") : t("form.icd10.found", { count: codes.length }));
        })
        .catch(() => undefined);
    }, 150);
    return () => clearTimeout(timer);
  }, [text, t]);

  const choose = (option: Icd10Option) => {
    onSelect(option);
    setAnnouncement(`${option.code} ${option.nameNb} er lagt til.`);
    setText("");
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const count = options.length;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open && count > 0) setOpen(true);
        if (count > 0) setActive((a) => (event.altKey ? Math.max(a, -1) : (a + 1) % count));
        break;
      case "ArrowUp":
        event.preventDefault();
        if (count > 0) {
          setOpen(true);
          setActive((a) => (a <= 0 ? count - 1 : a - 1));
        }
        break;
      case "Enter":
        // Enter in the search box never submits the whole form: it picks, or does nothing.
        event.preventDefault();
        if (open && active >= 0 && options[active]) choose(options[active]);
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text) {
          event.preventDefault();
          setText("");
        }
        break;
      default:
    }
  };

  const expanded = open && options.length > 0;
  return (
    <div className="combobox">
      <label htmlFor={inputId}>{t("form.icd10.search")}</label>
      <input
        id={inputId}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={t("form.icd10.suggestions")}
        className="combobox-list"
        hidden={!expanded}
      >
        {options.map((o, i) => (
          <li
            key={o.code}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? "active" : undefined}
            // mousedown would move focus out of the input and close the list before the click.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(o)}
          >
            <strong>{o.code}</strong> {o.nameNb}
          </li>
        ))}
      </ul>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
