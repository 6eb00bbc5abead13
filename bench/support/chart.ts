/** One line of the chart: a value per concurrency (missing values are skipped), with an optional range. */
export interface ChartSeries {
  label: string;
  color: string;
  dashed?: boolean;
  points: { x: number; y: number; low?: number; high?: number }[];
}

const WIDTH = 760;
const HEIGHT = 440;
const MARGIN = { top: 56, right: 210, bottom: 56, left: 78 };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A "nice" step for about `count` ticks up to `max`: 1, 2 or 5 times a power of ten. */
function tickStep(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10) * power;
}

function formatTick(value: number): string {
  return value >= 1_000 ? `${value / 1_000}k` : String(value);
}

/**
 * A line chart as SVG, written by hand (no dependency): x on a log scale (concurrency), y linear from 0.
 * @param xs - the x values that get a tick
 */
export function lineChart(options: {
  title: string;
  subtitle: string;
  xLabel: string;
  yLabel: string;
  xs: number[];
  series: ChartSeries[];
}): string {
  const { xs, series } = options;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const maxY = Math.max(1, ...series.flatMap((line) => line.points.map((point) => Math.max(point.y, point.high ?? 0))));
  const step = tickStep(maxY, 6);
  const top = Math.ceil(maxY / step) * step;
  const [minLog, maxLog] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  const x = (value: number): number =>
    MARGIN.left + (maxLog === minLog ? plotWidth / 2 : ((Math.log10(value) - minLog) / (maxLog - minLog)) * plotWidth);
  const y = (value: number): number => MARGIN.top + plotHeight - (value / top) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">${escape(options.title)}</text>`,
    `<text x="${MARGIN.left}" y="42" fill="#555555">${escape(options.subtitle)}</text>`,
  ];
  for (let value = 0; value <= top + step / 2; value += step) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(value) + 4}" text-anchor="end" fill="#333333">${formatTick(value)}</text>`,
    );
  }
  for (const value of xs) {
    parts.push(
      `<line x1="${x(value)}" x2="${x(value)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#f0f0f0"/>`,
      `<text x="${x(value)}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle" fill="#333333">${value}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#333333"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#333333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escape(options.xLabel)}</text>`,
    `<text transform="translate(20 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(options.yLabel)}</text>`,
  );
  series.forEach((line, index) => {
    const points = line.points.filter((point) => Number.isFinite(point.y));
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    if (points.length > 1) {
      const path = points.map((point) => `${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${path}" fill="none" stroke="${line.color}" stroke-width="2.5"${dash}/>`);
    }
    for (const point of points) {
      if (point.low !== undefined && point.high !== undefined && point.high > point.low) {
        const cx = x(point.x).toFixed(1);
        parts.push(
          `<line x1="${cx}" x2="${cx}" y1="${y(point.low).toFixed(1)}" y2="${y(point.high).toFixed(1)}" stroke="${line.color}" stroke-width="1.5"/>`,
        );
      }
      parts.push(`<circle cx="${x(point.x).toFixed(1)}" cy="${y(point.y).toFixed(1)}" r="3.5" fill="${line.color}"/>`);
    }
    const legendY = MARGIN.top + 10 + index * 22;
    const legendX = MARGIN.left + plotWidth + 16;
    parts.push(
      `<line x1="${legendX}" x2="${legendX + 26}" y1="${legendY}" y2="${legendY}" stroke="${line.color}" stroke-width="2.5"${dash}/>`,
      `<text x="${legendX + 32}" y="${legendY + 4}">${escape(line.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
