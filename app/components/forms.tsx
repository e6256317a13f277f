/**
 * The form fields every signed-in form uses (issue 21 item 5, in the style of the Epic Stack's
 * forms.tsx): a label, an optional hint, the control, and its problem, linked with
 * aria-describedby and aria-invalid. `FormField` is wired for Conform (it takes the field's
 * metadata: id, descriptionId, errorId, errors); `ErrorList` shows a field's or a form's problems.
 * The text is the caller's, so the same components serve nb, nn and en.
 */
import { getInputProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

/** A field's (or the whole form's) problems, next to it; nothing when there are none. */
export function ErrorList({ id, errors }: { id: string; errors: readonly string[] | null | undefined }) {
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={id}>
      {errors.join(" ")}
    </p>
  );
}

/**
 * A labelled control with its hint and its problem. The control (input, select, textarea) is the
 * child, spread with Conform's props for the same field so its id, aria-invalid and
 * aria-describedby match what is rendered here.
 */
export function FormField({
  field,
  label,
  hint,
  required,
  requiredText = "påkrevd",
  children,
}: {
  field: Pick<FieldMetadata<unknown>, "id" | "descriptionId" | "errorId" | "errors">;
  label: string;
  hint?: string;
  required?: boolean;
  /** The word after a required field's label, in the page's language. */
  requiredText?: string;
  children: ReactNode;
}) {
  return (
    <div className="form-field">
      <label htmlFor={field.id}>
        {label}
        {required ? <span className="required"> ({requiredText})</span> : null}
      </label>
      {hint ? (
        <p className="hint" id={field.descriptionId}>
          {hint}
        </p>
      ) : (
        <span id={field.descriptionId} hidden />
      )}
      {children}
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  );
}

/** Conform's props for a text input described by its hint (and its problem, when there is one). */
export function textInputProps(field: FieldMetadata<unknown>) {
  return { ...getInputProps(field, { type: "text", ariaDescribedBy: field.descriptionId }), key: field.key };
}
