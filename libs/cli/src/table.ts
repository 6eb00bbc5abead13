/** A cell: anything printable; `undefined` and `null` print as an empty cell. */
export type Cell = string | number | boolean | null | undefined;

const text = (cell: Cell): string =>
  cell === undefined || cell === null ? '' : String(cell).replace(/\s*\n\s*/g, ' ');

/**
 * Formats rows as a plain-text table: a header, a rule of dashes, then one line per row, each column as wide as
 * its widest cell and separated by two spaces. Trailing spaces are trimmed so that output diffs stay clean.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [headers, ...rows.map((row) => headers.map((_, column) => text(row[column])))];
  const widths = headers.map((_, column) => Math.max(...lines.map((line) => text(line[column]).length)));
  const render = (line: readonly Cell[]) =>
    widths
      .map((width, column) => text(line[column]).padEnd(width))
      .join('  ')
      .trimEnd();
  return [render(headers), render(widths.map((width) => '-'.repeat(width))), ...lines.slice(1).map(render)].join('\n');
}

/** Formats `label: value` pairs with the labels aligned; pairs whose value is empty are left out. */
export function formatFields(fields: readonly (readonly [string, Cell])[]): string {
  const shown = fields.filter(([, value]) => text(value) !== '');
  const width = Math.max(0, ...shown.map(([label]) => label.length + 1));
  return shown.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${text(value)}`).join('\n');
}
