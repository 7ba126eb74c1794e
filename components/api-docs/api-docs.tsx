import type { OpenApiDocument } from '@/lib/openapi';
import { MethodBadge } from './method-badge';
import { Operation } from './operation';
import { PathText } from './path-text';
import { operationsByTag } from './openapi-view';
import { Prose } from './prose';
import { SchemaDetails } from './schema-details';

/** Props of {@link ApiDocs}. */
export interface ApiDocsProps {
  /** The OpenAPI document (from lib/openapi.ts). */
  doc: OpenApiDocument;
  /** The origin used in curl examples. */
  origin: string;
}

/** The API reference for people: endpoints grouped by tag, then every schema. */
export function ApiDocs({ doc, origin }: ApiDocsProps) {
  const groups = operationsByTag(doc);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>API</h1>
          <p className="muted">
            <Prose text={doc.info.description} />
          </p>
        </div>
        <a className="btn btn-secondary" href="/api/openapi.json">
          OpenAPI document (JSON)
        </a>
      </div>

      <div className="api-docs">
        <nav aria-label="Endpoints" className="api-toc card">
          {groups.map((g) => (
            <div key={g.tag}>
              <p className="api-toc-tag">{g.tag}</p>
              <ul>
                {g.operations.map(({ method, route, op }) => (
                  <li key={op.operationId}>
                    <a href={`#${op.operationId}`}>
                      <MethodBadge method={method} /> <span className="api-toc-path">
                        <PathText path={route} />
                      </span>
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <p className="api-toc-tag">
            <a href="#schemas-heading">Schemas</a>
          </p>
        </nav>

        <div className="api-docs-body">
          <section aria-labelledby="auth-heading" className="card api-auth">
            <h2 id="auth-heading">Authentication and errors</h2>
            <p>
              Send <code>Authorization: Bearer $CRONBOARD_TOKEN</code> with a token from <code>API_TOKENS</code> or one made in
              the dashboard; a signed-in browser may use its session cookie instead. Without either the API answers{' '}
              <code>401</code>. <code>/api/health</code> and <code>/api/openapi.json</code> are open.
            </p>
            <p>
              Every error is <code>application/problem+json</code> <code>{'{ type, title, status, detail, errors? }'}</code>;
              invalid input is a <code>400</code> whose <code>errors</code> map each field (<code>trigger.expression</code>) to
              its messages, and nothing is written.
            </p>
          </section>

          {groups.map((g) => (
            <section key={g.tag} aria-labelledby={`tag-${g.tag}`} className="section api-tag">
              <h2 id={`tag-${g.tag}`}>{g.tag}</h2>
              <p className="muted">{g.description}</p>
              {g.operations.map(({ method, route, op }) => (
                <Operation key={op.operationId} doc={doc} method={method} route={route} op={op} origin={origin} />
              ))}
            </section>
          ))}

          <section aria-labelledby="schemas-heading" className="section">
            <h2 id="schemas-heading">Schemas</h2>
            <p className="muted">JSON Schema (draft 2020-12), generated from the zod schemas the server validates with.</p>
            <div className="card api-schemas">
              {Object.entries(doc.components.schemas).map(([name, schema]) => (
                <SchemaDetails key={name} id={`schema-${name}`} label={name} schema={schema} />
              ))}
            </div>
          </section>
        </div>
      </div>
    </>
  );
}
