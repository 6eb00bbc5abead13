import { createHash } from 'node:crypto';

/** V8's CPU profile, as `node --cpu-prof` writes it (`.cpuprofile`, which Chrome DevTools opens). */
export interface CpuProfile {
  nodes: ProfileNode[];
  /** µs, on the monotonic clock (`process.hrtime` on Linux). */
  startTime: number;
  endTime: number;
  /** The node of each sample, and the µs since the sample before (the first: since `startTime`). */
  samples: number[];
  timeDeltas: number[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
  positionTicks?: unknown;
}

/** The samples' times, in µs on the profile's clock. */
function sampleTimes(profile: CpuProfile): number[] {
  const times: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((t += delta));
  return times;
}

/**
 * Only the samples taken from `fromUs` to `toUs` (on the profile's clock): the measured window, without the
 * process' start-up and shutdown. Hit counts are recounted; the per-line ticks, which cannot be, are dropped.
 */
export function trimProfile(profile: CpuProfile, fromUs: number, toUs: number): CpuProfile {
  if (fromUs < profile.startTime || toUs > profile.endTime) {
    throw new Error(
      `The window ${fromUs}–${toUs} µs is not within the profile's ${profile.startTime}–${profile.endTime} µs: ` +
        'is the profile from this run, on the same clock?',
    );
  }
  const times = sampleTimes(profile);
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let last = fromUs;
  const hits = new Map<number, number>();
  profile.samples.forEach((node, i) => {
    if (times[i] < fromUs || times[i] > toUs) return;
    samples.push(node);
    timeDeltas.push(times[i] - last);
    last = times[i];
    hits.set(node, (hits.get(node) ?? 0) + 1);
  });
  const nodes = profile.nodes.map(({ positionTicks: _ticks, ...node }) => ({
    ...node,
    hitCount: hits.get(node.id) ?? 0,
  }));
  return { nodes, startTime: fromUs, endTime: toUs, samples, timeDeltas };
}

/** What a function's code belongs to, to group self time by and to colour the flame graph. */
export type Category =
  'sagaflow' | 'bullmq' | 'ioredis' | 'node' | 'bench' | 'other package' | 'gc' | 'idle' | 'program' | 'native';

function categoryOf(frame: ProfileNode['callFrame']): Category {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'program';
  if (url.includes('/node_modules/bullmq/')) return 'bullmq';
  if (url.includes('/node_modules/ioredis/') || url.includes('/node_modules/@ioredis/')) return 'ioredis';
  if (url.includes('/node_modules/')) return 'other package';
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/libs/')) return 'sagaflow';
  if (url.includes('/bench/')) return 'bench';
  return 'native';
}

/** A frame's file, from the package or the repository's folder on, and its line (1-based). */
function where(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return '';
  const path = frame.url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  const short =
    modules >= 0 ? path.slice(modules + '/node_modules/'.length) : path.replace(/^.*?\/(libs|bench|tools)\//, '$1/');
  return `${short}:${frame.lineNumber + 1}`;
}

function label(frame: ProfileNode['callFrame']): string {
  return frame.functionName || '(anonymous)';
}

/** Each sample's duration: up to the next sample (the last one: the mean). */
function sampleDurations(profile: CpuProfile): number[] {
  const { timeDeltas } = profile;
  const mean = timeDeltas.length > 0 ? (profile.endTime - profile.startTime) / timeDeltas.length : 0;
  return timeDeltas.map((_, i) => (i + 1 < timeDeltas.length ? timeDeltas[i + 1] : mean));
}

/** Self time by node id, in µs. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  const durations = sampleDurations(profile);
  profile.samples.forEach((node, i) => self.set(node, (self.get(node) ?? 0) + durations[i]));
  return self;
}

/** One row of the self-time table. */
export interface SelfTimeRow {
  name: string;
  where: string;
  category: Category;
  selfMs: number;
  /** Of the busy time (everything but idle). */
  percent: number;
  /** Self time per item (job or step) the process ran in the window, µs. */
  usPerItem: number;
}

/** Self time (µs) and busy time of a profile, by function and by category. */
export interface ProfileSummary {
  windowMs: number;
  busyMs: number;
  items: number;
  busyUsPerItem: number;
  byCategory: { category: Category; selfMs: number; percent: number; usPerItem: number }[];
  top: SelfTimeRow[];
}

/**
 * The functions with the most self time, and self time by category (sagaflow, BullMQ, ioredis, Node, GC …).
 * @param items - jobs or steps the process ran within the profile's window, for the per-item figures
 */
export function summarize(profile: CpuProfile, items: number, topCount = 30): ProfileSummary {
  const self = selfTimes(profile);
  const byFunction = new Map<string, { frame: ProfileNode['callFrame']; us: number }>();
  const byCategory = new Map<Category, number>();
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    const key = `${label(node.callFrame)}\n${where(node.callFrame)}`;
    const entry = byFunction.get(key) ?? { frame: node.callFrame, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
    const category = categoryOf(node.callFrame);
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
  }
  const busyUs = [...byCategory.entries()].reduce((sum, [category, us]) => (category === 'idle' ? sum : sum + us), 0);
  const percent = (us: number): number => Math.round((us / busyUs) * 1_000) / 10;
  const perItem = (us: number): number => Math.round((us / items) * 100) / 100;
  return {
    windowMs: Math.round((profile.endTime - profile.startTime) / 1_000),
    busyMs: Math.round(busyUs / 1_000),
    items,
    busyUsPerItem: perItem(busyUs),
    byCategory: [...byCategory.entries()]
      .filter(([category]) => category !== 'idle')
      .sort(([, a], [, b]) => b - a)
      .map(([category, us]) => ({
        category,
        selfMs: Math.round(us / 1_000),
        percent: percent(us),
        usPerItem: perItem(us),
      })),
    top: [...byFunction.values()]
      .filter(({ frame }) => categoryOf(frame) !== 'idle')
      .sort((a, b) => b.us - a.us)
      .slice(0, topCount)
      .map(({ frame, us }) => ({
        name: label(frame),
        where: where(frame),
        category: categoryOf(frame),
        selfMs: Math.round(us / 100) / 10,
        percent: percent(us),
        usPerItem: perItem(us),
      })),
  };
}

/** The summary as Markdown tables. */
export function summaryMarkdown(summary: ProfileSummary, itemName: string): string {
  const lines = [
    `Window ${summary.windowMs} ms, busy ${summary.busyMs} ms, ${summary.items} ${itemName}s: ` +
      `${summary.busyUsPerItem} µs of CPU per ${itemName} (profiled, so slower than unprofiled).`,
    '',
    `| category | self ms | % of busy | µs per ${itemName} |`,
    '| --- | ---: | ---: | ---: |',
    ...summary.byCategory.map((row) => `| ${row.category} | ${row.selfMs} | ${row.percent} | ${row.usPerItem} |`),
    '',
    `| function | where | category | self ms | % of busy | µs per ${itemName} |`,
    '| --- | --- | --- | ---: | ---: | ---: |',
    ...summary.top.map(
      (row) =>
        `| ${row.name.replace(/\|/g, '\\|')} | ${row.where} | ${row.category} | ${row.selfMs} | ${row.percent} | ${row.usPerItem} |`,
    ),
  ];
  return lines.join('\n');
}

/** A call-tree node of the flame graph: siblings of the same function and place are merged. */
interface FlameNode {
  frame: ProfileNode['callFrame'];
  selfUs: number;
  totalUs: number;
  children: Map<string, FlameNode>;
}

function flameTree(profile: CpuProfile): FlameNode {
  const self = selfTimes(profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const root = profile.nodes.find((node) => !childIds.has(node.id)) as ProfileNode;
  const build = (node: ProfileNode, into: FlameNode): void => {
    into.selfUs += self.get(node.id) ?? 0;
    for (const id of node.children ?? []) {
      const child = byId.get(id) as ProfileNode;
      if (categoryOf(child.callFrame) === 'idle') continue;
      const key = `${label(child.callFrame)}\n${where(child.callFrame)}`;
      let merged = into.children.get(key);
      if (!merged) {
        merged = { frame: child.callFrame, selfUs: 0, totalUs: 0, children: new Map() };
        into.children.set(key, merged);
      }
      build(child, merged);
    }
  };
  const tree: FlameNode = { frame: root.callFrame, selfUs: 0, totalUs: 0, children: new Map() };
  build(root, tree);
  const total = (node: FlameNode): number =>
    (node.totalUs = node.selfUs + [...node.children.values()].reduce((sum, child) => sum + total(child), 0));
  total(tree);
  return tree;
}

const HUES: Record<Category, [number, number]> = {
  sagaflow: [20, 40],
  bullmq: [200, 225],
  ioredis: [130, 160],
  node: [45, 60],
  bench: [280, 300],
  'other package': [170, 185],
  gc: [0, 8],
  idle: [0, 0],
  program: [0, 0],
  native: [0, 0],
};

function colour(frame: ProfileNode['callFrame']): string {
  const category = categoryOf(frame);
  if (category === 'program' || category === 'native') return 'hsl(0, 0%, 75%)';
  const [from, to] = HUES[category];
  const shade = createHash('md5').update(label(frame)).digest()[0] / 255;
  return `hsl(${Math.round(from + (to - from) * shade)}, 70%, ${Math.round(60 + 12 * shade)}%)`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A self-contained SVG flame graph of the busy time (idle left out): the root at the bottom, each frame as wide
 * as its total time, callees above their callers. Hover a frame for its file, time and time per item.
 */
export function flameGraph(profile: CpuProfile, options: { title: string; items: number; itemName: string }): string {
  const tree = flameTree(profile);
  const width = 1_200;
  const rowHeight = 16;
  const margin = { top: 40, side: 10, bottom: 24 };
  const scale = (width - 2 * margin.side) / tree.totalUs;
  const rects: { x: number; depth: number; w: number; node: FlameNode }[] = [];
  let depthMax = 0;
  const place = (node: FlameNode, x: number, depth: number): void => {
    const w = node.totalUs * scale;
    if (w < 0.3) return;
    rects.push({ x, depth, w, node });
    depthMax = Math.max(depthMax, depth);
    let childX = x;
    for (const child of [...node.children.values()].sort((a, b) => label(a.frame).localeCompare(label(b.frame)))) {
      place(child, childX, depth + 1);
      childX += child.totalUs * scale;
    }
  };
  place(tree, margin.side, 0);
  const height = margin.top + (depthMax + 1) * rowHeight + margin.bottom;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
    `<text x="${margin.side}" y="18" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
    `<text x="${margin.side}" y="33" fill="#555555">${escapeXml(
      `busy ${Math.round(tree.totalUs / 1_000)} ms for ${options.items} ${options.itemName}s ` +
        `(${(tree.totalUs / options.items).toFixed(1)} µs each); orange: sagaflow, blue: BullMQ, green: ioredis, ` +
        'yellow: Node, red: GC, grey: V8 and native; hover for details',
    )}</text>`,
  ];
  for (const { x, depth, w, node } of rects) {
    const y = height - margin.bottom - (depth + 1) * rowHeight;
    const name = label(node.frame);
    const tip =
      `${name} ${where(node.frame)}\n${(node.totalUs / 1_000).toFixed(1)} ms total ` +
      `(${((node.totalUs / tree.totalUs) * 100).toFixed(1)} %, ${(node.totalUs / options.items).toFixed(2)} µs per ${options.itemName}), ` +
      `${(node.selfUs / 1_000).toFixed(1)} ms self`;
    const chars = Math.floor((w - 6) / 6.2);
    const text = chars >= 3 ? (name.length > chars ? `${name.slice(0, chars - 1)}…` : name) : '';
    parts.push(
      `<g><title>${escapeXml(tip)}</title><rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${rowHeight - 1}" fill="${colour(node.frame)}" rx="2"/>` +
        (text ? `<text x="${(x + 3).toFixed(2)}" y="${y + 11.5}">${escapeXml(text)}</text>` : '') +
        '</g>',
    );
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
