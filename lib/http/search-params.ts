/**
 * A page's searchParams as plain strings (first value of a repeated key), empty values dropped:
 * they mean "no filter". U+0000, which no stored text holds (PostgreSQL cannot store it), is dropped.
 */
export function searchRecord(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const one = (Array.isArray(v) ? v[0] : v)?.replaceAll("\u0000", "");
    if (one !== undefined && one !== "") out[k] = one;
  }
  return out;
}
