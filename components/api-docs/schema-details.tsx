/** Props of {@link SchemaDetails}. */
export interface SchemaDetailsProps {
  /** The summary line (the control that opens it). */
  label: string;
  /** The JSON Schema to show. */
  schema: unknown;
  /** The element id (a link target, e.g. "schema-Job"). */
  id?: string;
}

/** A JSON Schema behind a disclosure (native <details>: keyboard and screen-reader friendly, no script). */
export function SchemaDetails({ label, schema, id }: SchemaDetailsProps) {
  return (
    <details className="api-schema" id={id}>
      <summary>{label}</summary>
      <pre className="pre api-schema-json">
        <code>{JSON.stringify(schema, null, 2)}</code>
      </pre>
    </details>
  );
}
