// The one table `npm run bench` prints: every row with its baseline from the same run.
export interface BenchRow {
  /** what was measured */
  row: string;
  /** the measured value, with its unit */
  value: number;
  unit: string;
  /** the same measurement of the baseline (undefined: none) */
  baseline?: number | undefined;
  /** what the baseline is, for the notes under the table */
  baselineName?: string;
  /** ratio value / baseline, or baseline / value when smaller is better (times) */
  lowerIsBetter?: boolean;
  /** latency percentiles in ms */
  p50?: number | undefined;
  p99?: number | undefined;
  /** a second comparison, e.g. "1.30x item page cost" */
  also?: string;
  goal?: string;
  /** undefined: no goal */
  met?: boolean | undefined;
}

const cell = (s: string, width: number) => s.padEnd(width);

function num(n: number): string {
  if (Number.isInteger(n)) return String(n);
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function ratioOf(row: BenchRow): number | undefined {
  if (row.baseline === undefined || row.baseline === 0) return undefined;
  return row.value / row.baseline;
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['row', 'value', 'baseline', 'ratio', 'p50', 'p99', 'also', 'goal', 'met?'];
  const lines = rows.map((r) => {
    const ratio = ratioOf(r);
    return [
      r.row,
      `${num(r.value)} ${r.unit}`,
      r.baseline === undefined ? '–' : `${num(r.baseline)} ${r.unit}`,
      ratio === undefined ? '–' : `${ratio.toFixed(2)}x`,
      r.p50 === undefined ? '–' : `${num(r.p50)} ms`,
      r.p99 === undefined ? '–' : `${num(r.p99)} ms`,
      r.also ?? '–',
      r.goal ?? '–',
      r.met === undefined ? '–' : r.met ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const render = (cells: string[]) =>
    `| ${cells.map((c, i) => cell(c, widths[i] ?? 0)).join(' | ')} |`;
  return [
    render(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.map(render),
  ].join('\n');
}
