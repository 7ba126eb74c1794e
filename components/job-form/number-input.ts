/** setValueAs for number inputs: "" (or nothing) is undefined, anything else a number. */
export function optionalNumber(value: unknown): number | undefined {
  if (value === '' || value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  const n = Number(value);
  return Number.isNaN(n) ? undefined : n;
}
