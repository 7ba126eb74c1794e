import type { HttpMethod, JsonSchema, OpenApiDocument, OpenApiOperation } from '@/lib/openapi';
import { MethodBadge } from './method-badge';
import { curlExample, inlineRefs, parameterOf, refName, responseOf, typeLabel } from './openapi-view';
import { PathText } from './path-text';
import { Prose } from './prose';
import { SchemaDetails } from './schema-details';

/** Props of {@link Operation}. */
export interface OperationProps {
  doc: OpenApiDocument;
  method: HttpMethod;
  route: string;
  op: OpenApiOperation;
  /** The origin used in the curl example, e.g. "https://cron.example.com". */
  origin: string;
}

function SchemaLink({ schema }: { schema: JsonSchema }) {
  const ref = (schema.$ref ?? (schema.items as JsonSchema | undefined)?.$ref) as string | undefined;
  if (!ref) return <>{typeLabel(schema)}</>;
  return (
    <a href={`#schema-${refName(ref)}`}>
      {refName(ref)}
      {schema.type === 'array' ? '[]' : ''}
    </a>
  );
}

/** One endpoint: method and path, what it does, parameters, request body, answers and a curl example. */
export function Operation({ doc, method, route, op, origin }: OperationProps) {
  const titleId = `${op.operationId}-title`;
  const name = `${method.toUpperCase()} ${route}`;
  const open = Array.isArray(op.security) && op.security.length === 0;
  const parameters = (op.parameters ?? []).map((p) => parameterOf(doc, p));
  const body = op.requestBody?.content['application/json'];
  return (
    <section id={op.operationId} className="card api-operation" aria-labelledby={titleId}>
      <h3 id={titleId} className="api-operation-title">
        <MethodBadge method={method} /> <code className="api-path">
          <PathText path={route} />
        </code>
      </h3>
      <p className="api-summary">
        {op.summary}
        {open ? <span className="tag">no credentials</span> : null}
      </p>
      <p className="muted">
        <Prose text={op.description} />
      </p>

      {parameters.length > 0 ? (
        <>
          <h4>Parameters</h4>
          <div className="table-scroll">
            <table className="table table-compact">
              <caption className="visually-hidden">Parameters of {name}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">In</th>
                  <th scope="col">Type</th>
                  <th scope="col">Meaning</th>
                </tr>
              </thead>
              <tbody>
                {parameters.map((p) => (
                  <tr key={`${p.in}-${p.name}`}>
                    <td>
                      <code>{p.name}</code>
                      {p.required ? <span className="api-required"> required</span> : null}
                    </td>
                    <td>{p.in}</td>
                    <td className="api-type">{typeLabel(p.schema)}</td>
                    <td>{p.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      {body ? (
        <>
          <h4>Request body</h4>
          <p>
            <code>application/json</code>, a <SchemaLink schema={body.schema} />.
          </p>
          <SchemaDetails label={`Request body schema (${typeLabel(body.schema)})`} schema={inlineRefs(doc, body.schema)} />
        </>
      ) : null}

      <h4>Responses</h4>
      <div className="table-scroll">
        <table className="table table-compact">
          <caption className="visually-hidden">Responses of {name}</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Meaning</th>
              <th scope="col">Body</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(op.responses).map(([status, raw]) => {
              const r = responseOf(doc, raw);
              const [type, content] = Object.entries(r.content ?? {})[0] ?? [];
              return (
                <tr key={status}>
                  <td className={`api-status api-status-${status[0]}xx`}>{status}</td>
                  <td>
                    {r.description}
                    {Object.entries(r.headers ?? {}).map(([header, h]) => (
                      <span key={header} className="api-header">
                        {' '}
                        Header <code>{header}</code>: {h.description}
                      </span>
                    ))}
                  </td>
                  <td>
                    {content ? (
                      <>
                        <code className="api-media-type" title={type}>
                          {type?.replace('application/', '')}
                        </code>{' '}
                        <SchemaLink schema={content.schema} />
                      </>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h4>Example</h4>
      <pre className="pre api-curl" aria-label={`curl example for ${name}`}>
        <code>{curlExample(origin, method, route, op)}</code>
      </pre>
    </section>
  );
}
