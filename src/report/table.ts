/** Aligned text columns for terminal output, with colour applied after the padding. */

export interface Column {
  readonly title: string;
  readonly align?: 'left' | 'right';
  /** Longer cells are not padded to: one long SLO name must not widen every row. */
  readonly maxWidth?: number;
}

export type Paint = (text: string) => string;

export interface Cell {
  readonly text: string;
  readonly paint?: Paint | undefined;
}

/**
 * Rows under a header, columns two spaces apart, without trailing spaces. Widths are
 * measured on the plain text so that ANSI codes never shift a column.
 */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  header: Paint,
): string[] {
  const widths = columns.map((column) => column.title.length);
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.text.length);
    });
  }
  columns.forEach((column, i) => {
    if (column.maxWidth !== undefined) {
      widths[i] = Math.min(widths[i] ?? 0, Math.max(column.maxWidth, column.title.length));
    }
  });

  const line = (cells: readonly Cell[]): string => {
    const parts = cells.map((cell, i) => {
      const width = widths[i] ?? 0;
      const right = columns[i]?.align === 'right';
      const padded = right ? cell.text.padStart(width) : cell.text.padEnd(width);
      const paint = cell.paint;
      if (!paint) return padded;
      // Paint only the text, not the padding: underlines and backgrounds stay tight.
      const pad = padded.length - cell.text.length;
      return right
        ? ' '.repeat(pad) + paint(cell.text)
        : paint(cell.text) + ' '.repeat(Math.max(0, pad));
    });
    return parts.join('  ').trimEnd();
  };

  const head = line(columns.map((column) => ({ text: column.title })));
  return [header(head), ...rows.map(line)];
}
