/**
 * The form fields every form uses, without a form library (issue 21 item 5): a label, an optional
 * hint, the field's problem and the control, linked by ids the caller gives. The public search
 * forms (patient, clinician) use these directly, so Conform never enters their bundles (byte
 * budgets, `npm run size`); the signed-in forms use them through forms.tsx's Conform wrappers.
 * The text is the caller's, so the same components serve nb, nn and en.
 */
import type { ReactNode, SelectHTMLAttributes } from "react";

/** A field's hint, which the control names in aria-describedby. */
export function Hint({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p id={id} className="hint">
      {children}
    </p>
  );
}

/** A field's (or the whole form's) problems, next to it; nothing when there are none. */
export function ErrorText({ id, errors }: { id: string; errors: readonly string[] | null | undefined }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="field-error">
      {errors.join(" ")}
    </p>
  );
}

export interface FieldProps {
  /** The control's id (the label's htmlFor). */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** The hint's id. Given without a hint, an empty hidden element keeps the id (Conform names it always). */
  hintId?: string;
  errorId?: string;
  errors?: readonly string[] | null;
  required?: boolean;
  /** The word after a required field's label, in the page's language. */
  requiredText?: string;
  /** "field" (the search forms) or "form-field" (the signed-in forms). */
  className?: string;
  /** The problem after the control (the signed-in forms) instead of before it (the search forms). */
  errorAfterControl?: boolean;
  children: ReactNode;
}

/** A labelled control (the child) with its hint and its problem. */
export function Field({
  id,
  label,
  hint,
  hintId,
  errorId,
  errors,
  required,
  requiredText = "påkrevd",
  className = "field",
  errorAfterControl = false,
  children,
}: FieldProps) {
  const error = errorId ? <ErrorText id={errorId} errors={errors} /> : null;
  return (
    <div className={className}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="required"> ({requiredText})</span> : null}
      </label>
      {hint ? <Hint id={hintId}>{hint}</Hint> : hintId ? <span id={hintId} hidden /> : null}
      {errorAfterControl ? null : error}
      {children}
      {errorAfterControl ? error : null}
    </div>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

/** A select's choices. */
export function Options({ options }: { options: readonly SelectOption[] }) {
  return options.map((o) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  ));
}

/**
 * A labelled select with its hint and problem; `control` are the select's own attributes (name,
 * defaultValue, aria-*, data-*), `options` its choices.
 */
export function SelectField({
  options,
  control,
  ...field
}: Omit<FieldProps, "children" | "errorAfterControl"> & {
  options: readonly SelectOption[];
  control: Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "children"> & Record<`data-${string}`, string>;
}) {
  return (
    <Field {...field}>
      <select id={field.id} {...control}>
        <Options options={options} />
      </select>
    </Field>
  );
}
