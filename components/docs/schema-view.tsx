// Renders a JSON Schema (from the generated OpenAPI document) as nested tables of fields.
type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  description?: string;
  example?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  default?: unknown;
};

export type Components = Record<string, Schema>;

function resolve(s: Schema, components: Components): { schema: Schema; name?: string } {
  if (s.$ref) {
    const name = s.$ref.split("/").pop()!;
    return { schema: components[name] ?? {}, name };
  }
  return { schema: s };
}

function typeLabel(s: Schema, components: Components): string {
  const { schema, name } = resolve(s, components);
  if (name) return name;
  if (schema.anyOf) return schema.anyOf.map((x) => typeLabel(x, components)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const t = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type ?? "any";
  if (t === "array" && schema.items) return `${typeLabel(schema.items, components)}[]`;
  return schema.format ? `${t} (${schema.format})` : t;
}

function constraints(s: Schema): string {
  const parts: string[] = [];
  if (s.minLength !== undefined || s.maxLength !== undefined) parts.push(`length ${s.minLength ?? 0}–${s.maxLength ?? "∞"}`);
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`${s.minimum ?? "−∞"} to ${s.maximum ?? "∞"}`);
  if (s.minItems !== undefined || s.maxItems !== undefined) parts.push(`${s.minItems ?? 0}–${s.maxItems ?? "∞"} entries`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  if (s.example !== undefined) parts.push(`e.g. ${JSON.stringify(s.example)}`);
  return parts.join("; ");
}

export function SchemaView({ schema, components, depth = 0 }: { schema: Schema; components: Components; depth?: number }) {
  const { schema: s } = resolve(schema, components);
  const target = s.type === "array" && s.items ? resolve(s.items, components).schema : s;
  if (!target.properties || depth > 4) {
    return <p className="text-sm text-slate-700">{typeLabel(schema, components)}</p>;
  }
  return (
    <table className="w-full text-left text-sm">
      <thead>
        <tr className="border-b border-slate-200 text-xs uppercase text-slate-600">
          <th scope="col" className="py-1 pr-3">Field</th>
          <th scope="col" className="py-1 pr-3">Type</th>
          <th scope="col" className="py-1">Rules and notes</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(target.properties).map(([name, prop]) => {
          const { schema: p } = resolve(prop, components);
          const nested = p.type === "array" && p.items ? resolve(p.items, components).schema : p;
          return (
            <tr key={name} className="border-b border-slate-100 align-top">
              <td className="py-1.5 pr-3 font-mono text-xs">
                {name}
                {target.required?.includes(name) ? "" : "?"}
              </td>
              <td className="py-1.5 pr-3 font-mono text-xs">{typeLabel(prop, components)}</td>
              <td className="py-1.5 text-xs text-slate-700">
                {[p.description, constraints(p)].filter(Boolean).join(" — ")}
                {nested.properties && (
                  <div className="mt-1 rounded border border-slate-200 p-2">
                    <SchemaView schema={p} components={components} depth={depth + 1} />
                  </div>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
