import type { SagaflowSystem } from '../support/apps';

/** A scrape of `GET /metrics`: the raw text, and each sample by its series (`name{label="value",…}`). */
export interface Scrape {
  contentType: string | null;
  text: string;
  samples: Map<string, number>;
}

/** @param from - the system whose API to scrape, or the base URL of another process' metrics (a worker's) */
export async function scrape(from: SagaflowSystem | string): Promise<Scrape> {
  const response = await fetch(`${typeof from === 'string' ? from : from.baseUrl}/metrics`);
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return { contentType: response.headers.get('content-type'), text, samples };
}

/** The value of one series, 0 when it is absent (a counter that never moved). */
export function sample(scraped: Scrape, series: string): number {
  return scraped.samples.get(series) ?? 0;
}
