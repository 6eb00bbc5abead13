import { Histogram } from 'prom-client';

/** One series of a histogram counted elsewhere: its bucket bounds and cumulative counts, as Prometheus has them. */
export interface ReportedSeries<L extends string> {
  labels: Record<L, string>;
  bucketsSeconds: readonly number[];
  /** `bucketsSeconds.length + 1` counts, each of the observations up to its bound; the last (+Inf) is all of them. */
  cumulativeCounts: readonly number[];
  sum: number;
  count: number;
}

/** A value as prom-client's registry writes it: `metricName` picks the `_bucket`, `_sum` or `_count` line. */
interface HistogramLine {
  metricName: string;
  labels: Record<string, string | number>;
  sharedLabels: Record<string, never>;
  value: number;
}

/**
 * A Prometheus histogram whose buckets are counted somewhere else (by the engine, in Redis) and read when
 * scraped. prom-client's `Histogram` only counts its own `observe()` calls, so the method its registry writes
 * a histogram from, `getForPromString()` (which `get()` uses too, though the typings do not declare it), is
 * replaced by one that writes the series `read` returns.
 * @typeParam L - the label names of the series
 */
export class ReportedHistogram<L extends string> extends Histogram<L> {
  constructor(
    private readonly configuration: { name: string; help: string; labelNames: readonly L[] },
    private readonly read: () => Promise<readonly ReportedSeries<L>[]>,
  ) {
    super({ ...configuration, registers: [] });
  }

  async getForPromString(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    aggregator: 'sum';
    values: HistogramLine[];
  }> {
    const { name, help } = this.configuration;
    const values: HistogramLine[] = [];
    for (const { labels, bucketsSeconds, cumulativeCounts, sum, count } of await this.read()) {
      const line = (suffix: string, value: number, extra: Record<string, string | number> = {}): HistogramLine => ({
        metricName: `${name}_${suffix}`,
        labels: { ...labels, ...extra },
        sharedLabels: {},
        value,
      });
      bucketsSeconds.forEach((le, i) => values.push(line('bucket', cumulativeCounts[i], { le })));
      values.push(line('bucket', count, { le: '+Inf' }), line('sum', sum), line('count', count));
    }
    return { name, help, type: 'histogram', aggregator: 'sum', values };
  }
}
