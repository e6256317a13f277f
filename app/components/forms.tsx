/**
 * The signed-in forms' fields on Conform (issue 21 item 5, in the style of the Epic Stack's
 * forms.tsx): the plain fields of ./fields.tsx (label, hint, problem, control) wired to Conform's
 * field metadata (id, descriptionId, errorId, errors), so aria-describedby and aria-invalid match
 * what is rendered. `ErrorList` shows a field's or a form's problems. The public search forms use
 * ./fields.tsx directly: this module imports Conform, which must not enter their bundles.
 */
import { getInputProps, getSelectProps, type FieldMetadata } from "@conform-to/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { ErrorText, Field, Options, type SelectOption } from "./fields";

/** A field's (or the whole form's) problems, next to it; nothing when there are none. */
export const ErrorList = ErrorText;

type ConformField = Pick<FieldMetadata<unknown>, "id" | "descriptionId" | "errorId" | "errors">;

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
  field: ConformField;
  label: string;
  hint?: string;
  required?: boolean;
  /** The word after a required field's label, in the page's language. */
  requiredText?: string;
  children: ReactNode;
}) {
  return (
    <Field
      id={field.id}
      label={label}
      hint={hint}
      hintId={field.descriptionId}
      errorId={field.errorId}
      errors={field.errors}
      required={required}
      requiredText={requiredText}
      className="form-field"
      errorAfterControl
    >
      {children}
    </Field>
  );
}

/**
 * A field's metadata with its problems in the page's language: the schemas' problems are message
 * keys (app/i18n), turned into text by `translate`. Conform's metadata are getters: copied by name.
 */
export function translatedField(field: ConformField, translate: (key: string) => string): ConformField {
  return {
    id: field.id,
    descriptionId: field.descriptionId,
    errorId: field.errorId,
    errors: field.errors?.map(translate),
  };
}

/** Conform's props for a text input described by its hint (and its problem, when there is one). */
export function textInputProps(field: FieldMetadata<unknown>) {
  return { ...getInputProps(field, { type: "text", ariaDescribedBy: field.descriptionId }), key: field.key };
}

/**
 * A Conform text, e-mail or password input in its FormField, its problems translated; every other
 * input attribute (autoComplete, required) goes to the input.
 */
export function InputField({
  field,
  label,
  type,
  errorText,
  ...input
}: {
  field: FieldMetadata<unknown>;
  label: string;
  type: "text" | "email" | "password";
  /** The text of a problem's message key, in the page's language. */
  errorText: (key: string) => string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "id" | "name">) {
  return (
    <FormField field={translatedField(field, errorText)} label={label}>
      <input {...getInputProps(field, { type, ariaDescribedBy: field.descriptionId })} key={field.key} {...input} />
    </FormField>
  );
}

/** A Conform select (one or several choices) in its FormField, its problems translated. */
export function SelectInputField({
  field,
  label,
  hint,
  required,
  requiredText,
  errorText,
  options,
  multiple,
  size,
}: {
  field: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  required?: boolean;
  requiredText?: string;
  /** The text of a problem's message key, in the page's language. */
  errorText: (key: string) => string;
  options: readonly SelectOption[];
  multiple?: boolean;
  size?: number;
}) {
  return (
    <FormField
      field={translatedField(field, errorText)}
      label={label}
      hint={hint}
      required={required}
      requiredText={requiredText}
    >
      <select
        {...getSelectProps(field, { ariaDescribedBy: field.descriptionId })}
        key={field.key}
        multiple={multiple}
        size={size}
      >
        <Options options={options} />
      </select>
    </FormField>
  );
}
