// A readable reference of a generated OpenAPI document (the product API's, the portal's); it
// renders on the server and loads no script from the internet.
import Link from "next/link";
import { SchemaView, type Components } from "./schema-view";

type Operation = {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema: object; description?: string }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
};

const METHOD_TONE: Record<string, string> = { get: "bg-blue-100 text-blue-900", post: "bg-green-100 text-green-900", patch: "bg-amber-100 text-amber-900", delete: "bg-red-100 text-red-900" };

const REFERENCES = [
  { href: "/docs/api", label: "Product API" },
  { href: "/docs/api/portal", label: "Portal API (scripts, API tokens)" },
];

const SCHEME_TEXT: Record<string, string> = {
  session: "a signed-in portal session (cookie)",
  bearer: "an API token (Authorization: Bearer pulse_pat_...)",
};

export function ApiReference({ document, source, current }: { document: object; source: string; current: string }) {
  const doc = document as {
    info: { title: string; version: string; description: string };
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Components };
  };
  const components = doc.components.schemas;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const tags = [...new Set(operations.map((o) => o.op.tags?.[0] ?? "Other"))];
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-3xl font-semibold">
        {doc.info.title} <span className="text-base font-normal text-slate-600">v{doc.info.version}</span>
      </h1>
      <p className="mt-2 max-w-3xl text-slate-700">{doc.info.description}</p>
      <nav aria-label="API references" className="mt-4 flex flex-wrap gap-2 text-sm">
        {REFERENCES.map((r) => (
          <Link
            key={r.href}
            href={r.href}
            aria-current={r.href === current ? "page" : undefined}
            className={r.href === current ? "rounded-full bg-brand-800 px-3 py-1 font-medium text-white" : "rounded-full border border-slate-300 px-3 py-1 font-medium text-brand-800 underline"}
          >
            {r.label}
          </Link>
        ))}
      </nav>
      <p className="mt-2 text-sm">
        Machine-readable: <a className="font-medium text-brand-800 underline" href={source}>{source}</a> (OpenAPI 3.1)
      </p>
      <nav aria-label="Endpoints" className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
        <ul className="space-y-1 text-sm">
          {operations.map(({ path, method }) => (
            <li key={`${method} ${path}`}>
              <a href={`#${method}-${path.replace(/[^a-z0-9]+/gi, "-")}`} className="font-mono text-brand-800 underline">
                {method.toUpperCase()} {path}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`tag-${tag}`} className="mt-10">
          <h2 id={`tag-${tag}`} className="text-2xl font-semibold">
            {tag}
          </h2>
          {operations
            .filter((o) => (o.op.tags?.[0] ?? "Other") === tag)
            .map(({ path, method, op }) => (
              <article key={`${method} ${path}`} id={`${method}-${path.replace(/[^a-z0-9]+/gi, "-")}`} className="mt-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
                <h3 className="flex flex-wrap items-center gap-2 font-mono text-lg">
                  <span className={`rounded px-2 py-0.5 text-sm font-semibold ${METHOD_TONE[method] ?? "bg-slate-100"}`}>{method.toUpperCase()}</span>
                  {path}
                </h3>
                {op.summary && <p className="mt-2 font-medium">{op.summary}</p>}
                {op.description && <p className="mt-1 text-sm text-slate-700">{op.description}</p>}
                {op.security && (
                  <p className="mt-1 text-xs text-slate-600">
                    Needs {(op.security as Record<string, unknown>[]).flatMap((s) => Object.keys(s)).map((k) => SCHEME_TEXT[k] ?? k).join(" or ")}.
                  </p>
                )}
                {op.parameters && op.parameters.length > 0 && (
                  <>
                    <h4 className="mt-4 text-sm font-semibold">Parameters</h4>
                    <ul className="mt-1 space-y-1 text-sm">
                      {op.parameters.map((p) => (
                        <li key={`${p.in}-${p.name}`}>
                          <code>{p.name}</code> <span className="text-slate-600">({p.in}{p.required ? ", required" : ""})</span>
                          <SchemaView schema={p.schema} components={components} />
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                {op.requestBody && (
                  <>
                    <h4 className="mt-4 text-sm font-semibold">Request body</h4>
                    {Object.values(op.requestBody.content).map((c, i) => (
                      <SchemaView key={i} schema={c.schema} components={components} />
                    ))}
                  </>
                )}
                <h4 className="mt-4 text-sm font-semibold">Responses</h4>
                <dl className="mt-1 space-y-3 text-sm">
                  {Object.entries(op.responses).map(([status, r]) => (
                    <div key={status}>
                      <dt>
                        <span className="font-mono font-semibold">{status}</span> — {r.description}
                      </dt>
                      {r.content &&
                        Object.entries(r.content).map(([type, c]) => (
                          <dd key={type} className="ml-4 mt-1">
                            <span className="text-xs text-slate-600">{type}</span>
                            <SchemaView schema={c.schema} components={components} />
                          </dd>
                        ))}
                    </div>
                  ))}
                </dl>
              </article>
            ))}
        </section>
      ))}
    </main>
  );
}
