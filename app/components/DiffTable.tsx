import type { ReadableChange } from "#app/views/version-diff";

/** A change set as a table: field, value before, value after (version history and editor review). */
export function DiffTable({
  changes,
  caption,
  fieldHeading = "Felt",
  fromHeading,
  toHeading,
}: {
  changes: ReadableChange[];
  caption?: string;
  /** The first column's heading, in the page's language. */
  fieldHeading?: string;
  fromHeading: string;
  toHeading: string;
}) {
  return (
    <table className="diff-table">
      {caption ? <caption className="visually-hidden">{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">{fieldHeading}</th>
          <th scope="col">{fromHeading}</th>
          <th scope="col">{toHeading}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c, i) => (
          <tr key={i}>
            <th scope="row">{c.label}</th>
            <td>{c.from}</td>
            <td>{c.to}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
