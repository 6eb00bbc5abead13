/**
 * A saga's timeline: every step attempt, wait and compensation as a bar on one time axis.
 *
 * `buildTimeline` derives the bars from the saga record; `renderTimeline` draws them as SVG. The history is the
 * precise source: `step.started` opens an attempt bar that the `step.succeeded` / `step.failed` of the same step
 * closes (a failure with `willRetry` is drawn as retried, and the backoff until the next attempt as a thin line);
 * `step.waiting` turns the open attempt of a wait or sleep step into a wait bar, which `event.received`,
 * `step.timed_out`, `saga.cancelled` or the sleep's `step.succeeded` closes (a wait for a signal: its
 * `step.succeeded`, which names the signal); `signal.received` is a saga-wide marker; `compensation.started` /
 * `succeeded` / `failed` do the same for compensations, in their own rows. The record's `steps[]` timestamps
 * (`startedAt`/`finishedAt`, `compensation.{startedAt,finishedAt}`, `wait.{until,eventId}`) fill in a step whose
 * history entries are missing, as one bar marked approximate. Bars still open end at "now" while the saga is live.
 */
import { s } from './dom.js';
import { formatDuration, formatTime, toMs } from './format.js';

const LIVE = new Set(['queued', 'running', 'waiting', 'compensating']);

/** Saga-wide entries drawn as vertical lines, with their labels. */
const MARKERS = {
  'saga.started': 'started',
  'saga.admitted': 'admitted',
  'saga.compensating': 'compensating',
  'saga.cancelled': 'cancelled',
  'saga.retried': 'retried',
  'saga.resolved': 'resolved',
  'saga.completed': 'completed',
  'saga.compensated': 'compensated',
  'saga.compensation_failed': 'compensation failed',
};

const isTimeout = (error) =>
  Boolean(error && (error.name === 'StepTimedOutError' || /TIMED_OUT/.test(error.code ?? '')));

/**
 * The timeline of `saga` (a `GET /sagas/:id` answer) at time `now` (ms).
 * @returns {{ start: number, end: number, live: boolean, rows: object[], bars: object[], links: object[],
 *   markers: object[], events: object[] }}
 */
export function buildTimeline(saga, now = Date.now()) {
  const steps = Array.isArray(saga.steps) ? saga.steps : [];
  const history = Array.isArray(saga.history) ? saga.history : [];
  const live = LIVE.has(saga.status);
  const created = toMs(saga.createdAt) ?? toMs(history[0]?.at) ?? now;
  const last = live
    ? Math.max(now, toMs(saga.updatedAt) ?? created)
    : (toMs(saga.finishedAt) ?? toMs(saga.updatedAt) ?? toMs(history.at(-1)?.at) ?? created);

  const bars = [];
  const links = [];
  const markers = [];
  const events = [];
  const open = new Map(); // `${phase}:${step}` → the attempt or compensation bar in progress
  const ended = new Map(); // `${phase}:${step}` → its last closed bar, to draw the backoff before the next one
  const waits = new Map(); // step → its open wait bar

  const keyOf = (phase, step) => `${phase}:${step}`;
  const close = (bar, at, outcome, error) => {
    bar.end = at;
    bar.outcome = outcome;
    bar.open = false;
    if (error) {
      bar.error = error;
      bar.timedOut = isTimeout(error);
    }
  };
  const begin = (phase, entry, at) => {
    const key = keyOf(phase, entry.step);
    const previous = open.get(key);
    // Transitions happen once each, so an attempt is always closed before the next begins; be safe anyway.
    if (previous) close(previous, at, 'unknown');
    const retried = ended.get(key);
    if (retried && retried.outcome === 'retrying') {
      links.push({ kind: 'backoff', phase, step: entry.step, from: retried.end, to: at });
    }
    ended.delete(key);
    const bar = {
      kind: phase === 'run' ? 'attempt' : 'compensation',
      step: entry.step,
      attempt: entry.attempt,
      start: at,
      end: undefined,
      outcome: 'running',
      open: true,
    };
    open.set(key, bar);
    bars.push(bar);
  };
  const finish = (phase, entry, at, outcome) => {
    const key = keyOf(phase, entry.step);
    const bar = open.get(key);
    if (!bar) return undefined;
    close(bar, at, outcome, entry.error);
    open.delete(key);
    ended.set(key, bar);
    return bar;
  };
  const endWait = (step, at, outcome, extra = {}) => {
    const wait = waits.get(step);
    if (!wait) return undefined;
    close(wait, at, outcome);
    Object.assign(wait, extra);
    waits.delete(step);
    return wait;
  };

  for (const entry of history) {
    const at = toMs(entry.at);
    if (at === undefined) continue;
    switch (entry.type) {
      case 'step.started':
        begin('run', entry, at);
        break;
      case 'step.succeeded':
        // A wait's own success follows its event or timer, which already closed it; a sleep, or a wait a signal
        // ended, ends here.
        if (!finish('run', entry, at, 'succeeded')) {
          if (!entry.signal) endWait(entry.step, at, 'elapsed');
          else if (endWait(entry.step, at, 'received', { signal: entry.signal, seq: entry.seq })) {
            events.push({ at, step: entry.step, signal: entry.signal, seq: entry.seq });
          }
        }
        break;
      case 'step.failed':
        if (!finish('run', entry, at, entry.willRetry ? 'retrying' : 'failed')) {
          const wait = [...bars].reverse().find((bar) => bar.kind === 'wait' && bar.step === entry.step);
          if (wait && entry.error) wait.error = entry.error;
        }
        break;
      case 'step.waiting': {
        const key = keyOf('run', entry.step);
        const attempt = open.get(key);
        let start = at;
        if (attempt) {
          // The attempt that parked the step is the start of its wait, not an attempt of its own.
          start = attempt.start;
          bars.splice(bars.indexOf(attempt), 1);
          open.delete(key);
        }
        const wait = {
          kind: 'wait',
          step: entry.step,
          attempt: entry.attempt,
          start,
          end: undefined,
          outcome: 'waiting',
          open: true,
          event: entry.event,
          key: entry.key,
          signal: entry.signal,
          until: entry.until,
        };
        bars.push(wait);
        waits.set(entry.step, wait);
        break;
      }
      case 'event.received':
        endWait(entry.step, at, 'received', { eventId: entry.eventId });
        events.push({ at, step: entry.step, event: entry.event, eventId: entry.eventId });
        break;
      case 'step.timed_out':
        endWait(entry.step, at, 'timed_out');
        break;
      case 'signal.received':
        markers.push({ at, type: entry.type, label: `signal ${entry.signal}`, note: `#${entry.seq}` });
        break;
      case 'compensation.started':
        begin('compensate', entry, at);
        break;
      case 'compensation.succeeded':
        finish('compensate', entry, at, 'succeeded');
        break;
      case 'compensation.failed':
        finish('compensate', entry, at, entry.willRetry ? 'retrying' : 'failed');
        break;
      default:
        break;
    }
    if (entry.type === 'saga.cancelled') {
      for (const step of [...waits.keys()]) endWait(step, at, 'cancelled');
    }
    if (MARKERS[entry.type]) {
      markers.push({ at, type: entry.type, label: MARKERS[entry.type], note: entry.note, step: entry.step });
    }
  }

  // What the history left open is still going on (or, on a finished saga, ended unrecorded with it).
  for (const bar of [...open.values(), ...waits.values()]) {
    bar.end = Math.max(bar.start, last);
    if (!live) {
      bar.open = false;
      bar.outcome = bar.kind === 'wait' ? 'cancelled' : 'unknown';
    }
  }

  addFromStepRecords(steps, bars, { live, last });

  const rows = steps.map((step, index) => ({
    id: keyOf('run', step.name),
    kind: 'run',
    step: step.name,
    label: step.name,
    index,
    status: step.status,
  }));
  const compensated = bars
    .filter((bar) => bar.kind === 'compensation')
    .sort((a, b) => a.start - b.start)
    .map((bar) => bar.step)
    .filter((step, index, all) => all.indexOf(step) === index);
  for (const step of compensated) {
    rows.push({ id: keyOf('compensate', step), kind: 'compensation', step, label: `↩ ${step}` });
  }
  // A bar for a step the record does not list (never expected): give it a row rather than drop it.
  for (const bar of bars) {
    const id = keyOf(bar.kind === 'compensation' ? 'compensate' : 'run', bar.step);
    if (!rows.some((row) => row.id === id)) {
      rows.push({ id, kind: bar.kind === 'compensation' ? 'compensation' : 'run', step: bar.step, label: bar.step });
    }
  }
  for (const bar of bars) bar.row = keyOf(bar.kind === 'compensation' ? 'compensate' : 'run', bar.step);
  for (const link of links) link.row = keyOf(link.phase, link.step);
  for (const event of events) event.row = keyOf('run', event.step);

  const times = [created, last, ...bars.flatMap((bar) => [bar.start, bar.end]), ...markers.map((m) => m.at)];
  const finite = times.filter((time) => Number.isFinite(time));
  return {
    start: Math.min(...finite),
    end: Math.max(...finite),
    live,
    rows,
    bars,
    links,
    markers,
    events,
  };
}

const RUN_OUTCOMES = { running: 'running', retrying: 'retrying', failed: 'failed' };
const WAIT_OUTCOMES = { waiting: 'waiting', cancelled: 'cancelled', failed: 'timed_out' };

/** One approximate bar per run or compensation the history does not show, from the step's own timestamps. */
function addFromStepRecords(steps, bars, { live, last }) {
  const has = (kind, step) =>
    bars.some(
      (bar) => bar.step === step && (kind === 'compensation' ? bar.kind === kind : bar.kind !== 'compensation'),
    );
  for (const step of steps) {
    const started = toMs(step.startedAt);
    if (started !== undefined && !has('run', step.name)) {
      const finished = toMs(step.finishedAt);
      const bar = {
        kind: step.wait ? 'wait' : 'attempt',
        step: step.name,
        start: started,
        end: finished ?? Math.max(started, last),
        open: finished === undefined && live,
        approximate: true,
        error: step.error,
      };
      if (step.wait) {
        const { event, key, signal, seq, until } = step.wait;
        Object.assign(bar, { event, key, signal, seq, until });
        bar.eventId = step.wait.eventId;
        bar.outcome = WAIT_OUTCOMES[step.status] ?? (step.wait.eventId || seq ? 'received' : 'elapsed');
      } else {
        // A step that went on to be compensated kept its output if it had succeeded.
        bar.outcome = RUN_OUTCOMES[step.status] ?? (step.output === undefined && step.error ? 'failed' : 'succeeded');
      }
      bars.push(bar);
    }
    const compensation = step.compensation;
    const compensationStarted = toMs(compensation?.startedAt);
    if (compensationStarted !== undefined && !has('compensation', step.name)) {
      const finished = toMs(compensation.finishedAt);
      bars.push({
        kind: 'compensation',
        step: step.name,
        start: compensationStarted,
        end: finished ?? Math.max(compensationStarted, last),
        open: finished === undefined && live,
        approximate: true,
        error: compensation.error,
        outcome:
          step.status === 'compensated' ? 'succeeded' : step.status === 'compensation_failed' ? 'failed' : 'running',
      });
    }
  }
}

const TICK_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5,
  216e5, 432e5, 864e5, 1728e5, 6048e5,
];

function tickLabel(offset) {
  if (offset === 0) return '0';
  if (offset < 1_000) return `+${offset} ms`;
  if (offset < 60_000) return `+${offset / 1_000} s`;
  if (offset < 3_600_000) return `+${+(offset / 60_000).toFixed(1)} min`;
  if (offset < 86_400_000) return `+${+(offset / 3_600_000).toFixed(1)} h`;
  return `+${+(offset / 86_400_000).toFixed(1)} d`;
}

const OUTCOME_WORDS = {
  succeeded: 'succeeded',
  retrying: 'failed, retried',
  failed: 'failed',
  running: 'in progress',
  waiting: 'waiting',
  received: 'event received',
  elapsed: 'elapsed',
  timed_out: 'timed out',
  cancelled: 'cancelled',
  unknown: 'no outcome recorded',
};

/** What a bar says on hover. */
export function describeBar(bar) {
  const what =
    bar.kind === 'wait'
      ? bar.event
        ? `${bar.step}: wait for ${bar.event}${bar.key ? ` (key ${bar.key})` : ''}`
        : bar.signal
          ? `${bar.step}: wait for signal ${bar.signal}`
          : `${bar.step}: sleep`
      : bar.kind === 'compensation'
        ? `${bar.step}: compensation${bar.attempt ? `, attempt ${bar.attempt}` : ''}`
        : `${bar.step}${bar.attempt ? `, attempt ${bar.attempt}` : ''}`;
  const lines = [
    what,
    `${formatTime(new Date(bar.start).toISOString())} → ${bar.open ? 'now' : formatTime(new Date(bar.end).toISOString())}`,
    `${formatDuration(bar.end - bar.start)}, ${bar.timedOut ? 'timed out' : (OUTCOME_WORDS[bar.outcome] ?? bar.outcome)}`,
  ];
  if (bar.until) lines.push(`until ${formatTime(bar.until)}`);
  if (bar.eventId) lines.push(`event ${bar.eventId}`);
  if (bar.seq !== undefined) lines.push(`signal #${bar.seq}`);
  if (bar.error)
    lines.push(`${bar.error.name ?? 'Error'}${bar.error.code ? ` ${bar.error.code}` : ''}: ${bar.error.message ?? ''}`);
  if (bar.approximate) lines.push('(from the step record: the history has no entry for it)');
  return lines.join('\n');
}

const ROW_HEIGHT = 30;
const BAR_HEIGHT = 16;
const TOP = 42;
const BOTTOM = 10;

/**
 * Draws `model` as an SVG `width` pixels wide. Bars carry `data-kind` (attempt, wait, compensation), `data-step`,
 * `data-attempt` and `data-outcome`; backoffs are `line[data-kind=backoff]`, saga events `[data-kind=marker]`.
 * `onSelect(bar)` is called when a bar is clicked. `view` (`{ start, end }`, ms) shows only that part of the
 * time axis, and a drag across the plot calls `onZoom(start, end)` with the part dragged over.
 */
export function renderTimeline(model, { width = 960, onSelect, view, onZoom } = {}) {
  const longest = Math.max(8, ...model.rows.map((row) => row.label.length));
  const labelWidth = Math.min(240, Math.max(130, longest * 7.4 + 30));
  const left = labelWidth;
  const right = width - 18;
  const plotWidth = Math.max(40, right - left);
  const from = view?.start ?? model.start;
  const to = Math.max(view?.end ?? model.end, from + 1);
  const span = to - from;
  const clamp = (value) => Math.min(right, Math.max(left, value));
  const x = (time) => clamp(left + ((time - from) / span) * plotWidth);
  const shown = (start, end = start) => end >= from && start <= to;
  const height = TOP + Math.max(1, model.rows.length) * ROW_HEIGHT + BOTTOM;
  const rowIndex = new Map(model.rows.map((row, index) => [row.id, index]));
  const rowY = (id) => TOP + (rowIndex.get(id) ?? 0) * ROW_HEIGHT;

  const svg = s('svg', {
    class: 'timeline',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `Timeline: ${model.bars.length} bars over ${formatDuration(model.end - model.start)}`,
  });
  if (onZoom) addBrush(svg, { left, right, top: TOP - 4, bottom: height - BOTTOM, from, span, plotWidth, onZoom });

  // Rows, then the grid over them, then bars over both.
  model.rows.forEach((row, index) => {
    const y = TOP + index * ROW_HEIGHT;
    svg.append(
      s('rect', {
        class: `row-bg row-${row.kind}${index % 2 ? ' row-odd' : ''}`,
        x: 0,
        y,
        width,
        height: ROW_HEIGHT,
      }),
    );
    const label = row.label.length > 30 ? `${row.label.slice(0, 29)}…` : row.label;
    svg.append(
      s(
        'text',
        {
          class: `row-label row-label-${row.kind}`,
          x: 10,
          y: y + ROW_HEIGHT / 2,
          'dominant-baseline': 'central',
          dataset: { row: row.id },
        },
        s('title', {}, row.kind === 'compensation' ? `compensation of ${row.step}` : row.step),
        label,
      ),
    );
  });
  const firstCompensation = model.rows.findIndex((row) => row.kind === 'compensation');
  if (firstCompensation > 0) {
    const y = TOP + firstCompensation * ROW_HEIGHT;
    svg.append(s('line', { class: 'row-separator', x1: 0, x2: width, y1: y, y2: y }));
  }

  const maxTicks = Math.max(2, Math.floor(plotWidth / 90));
  const tick = TICK_STEPS.find((candidate) => span / candidate <= maxTicks) ?? TICK_STEPS.at(-1);
  // Tick labels count from the saga's start, also in a zoomed view.
  for (let k = Math.ceil((from - model.start) / tick); model.start + k * tick <= to; k += 1) {
    const offset = k * tick;
    const tx = x(model.start + offset);
    svg.append(s('line', { class: 'grid', x1: tx, x2: tx, y1: TOP - 4, y2: height - BOTTOM }));
    svg.append(
      s(
        'text',
        {
          class: 'tick',
          x: tx,
          y: TOP - 9,
          'text-anchor': tx < left + 30 ? 'start' : tx > right - 30 ? 'end' : 'middle',
        },
        tickLabel(offset),
      ),
    );
  }
  svg.append(s('line', { class: 'axis', x1: left, x2: right, y1: TOP - 0.5, y2: TOP - 0.5 }));

  for (const link of model.links) {
    if (!shown(link.from, link.to)) continue;
    const y = rowY(link.row) + ROW_HEIGHT / 2;
    svg.append(
      s(
        'line',
        {
          class: `backoff backoff-${link.phase}`,
          x1: x(link.from),
          x2: x(link.to),
          y1: y,
          y2: y,
          dataset: { kind: 'backoff', step: link.step },
        },
        s('title', {}, `${link.step}: backoff of ${formatDuration(link.to - link.from)} before the next attempt`),
      ),
    );
  }

  for (const bar of model.bars) {
    if (!shown(bar.start, bar.end)) continue;
    const bx = x(bar.start);
    const bw = Math.max(3, x(bar.end) - bx);
    const by = rowY(bar.row) + (ROW_HEIGHT - BAR_HEIGHT) / 2;
    const classes = ['bar', `bar-${bar.kind}`, `is-${bar.outcome}`];
    if (bar.open) classes.push('is-open');
    if (bar.timedOut) classes.push('is-timed-out');
    if (bar.approximate) classes.push('is-approximate');
    const group = s(
      'g',
      {
        class: classes.join(' '),
        dataset: {
          kind: bar.kind,
          step: bar.step,
          attempt: bar.attempt,
          outcome: bar.outcome,
          phase: bar.kind === 'compensation' ? 'compensate' : 'run',
        },
        tabindex: 0,
        onClick: onSelect ? () => onSelect(bar) : undefined,
        onKeydown: onSelect
          ? (event) => {
              if (event.key === 'Enter' || event.key === ' ') onSelect(bar);
            }
          : undefined,
      },
      s('title', {}, describeBar(bar)),
      s('rect', { x: bx, y: by, width: bw, height: BAR_HEIGHT, rx: 3 }),
    );
    const text =
      bar.kind === 'wait'
        ? (bar.event ?? (bar.signal ? `signal ${bar.signal}` : 'sleep'))
        : `${bar.kind === 'compensation' ? '↩ ' : ''}${bar.attempt ? `#${bar.attempt} ` : ''}${formatDuration(bar.end - bar.start)}`;
    if (bw >= text.length * 6.2 + 10) {
      group.append(
        s('text', { class: 'bar-text', x: bx + 5, y: by + BAR_HEIGHT / 2, 'dominant-baseline': 'central' }, text),
      );
    }
    svg.append(group);
  }

  for (const event of model.events) {
    if (!shown(event.at)) continue;
    const cx = x(event.at);
    const cy = rowY(event.row) + ROW_HEIGHT / 2;
    svg.append(
      s(
        'path',
        {
          class: 'event-mark',
          d: `M${cx} ${cy - 6} L${cx + 6} ${cy} L${cx} ${cy + 6} L${cx - 6} ${cy} Z`,
          dataset: { kind: 'event', step: event.step },
        },
        s(
          'title',
          {},
          event.signal
            ? `signal ${event.signal} #${event.seq} received`
            : `${event.event ?? 'event'} received${event.eventId ? ` (id ${event.eventId})` : ''}`,
        ),
      ),
    );
  }

  let labelEnd = -Infinity;
  for (const marker of model.markers) {
    if (!shown(marker.at)) continue;
    const mx = x(marker.at);
    const type = marker.type.replace('saga.', '');
    const group = s(
      'g',
      { class: `marker marker-${type}`, dataset: { kind: 'marker', type: marker.type } },
      s(
        'title',
        {},
        `${marker.label} at ${formatTime(new Date(marker.at).toISOString())}${marker.note ? `: ${marker.note}` : ''}`,
      ),
      s('line', { x1: mx, x2: mx, y1: 4, y2: height - BOTTOM }),
    );
    // Labels that would overlap the previous one are left out; the line and its hover text remain.
    const textWidth = marker.label.length * 6.3 + 8;
    const anchorEnd = mx + textWidth > right + 16;
    const start = anchorEnd ? mx - textWidth : mx;
    if (start > labelEnd) {
      group.append(
        s('text', { x: anchorEnd ? mx - 4 : mx + 4, y: 12, 'text-anchor': anchorEnd ? 'end' : 'start' }, marker.label),
      );
      labelEnd = start + textWidth;
    }
    svg.append(group);
  }

  if (model.live && shown(model.end)) {
    const nx = x(model.end);
    svg.append(
      s(
        'g',
        { class: 'now', dataset: { kind: 'now' } },
        s('line', { x1: nx, x2: nx, y1: TOP - 4, y2: height - BOTTOM }),
      ),
    );
  }
  return svg;
}

/** Dragging across the plot draws a selection; releasing it zooms to the time it covers (a click does not). */
function addBrush(svg, { left, right, top, bottom, from, span, plotWidth, onZoom }) {
  let origin;
  let selection;
  const pointX = (event) => Math.min(right, Math.max(left, event.clientX - svg.getBoundingClientRect().left));
  svg.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || event.clientX - svg.getBoundingClientRect().left < left) return;
    origin = pointX(event);
  });
  svg.addEventListener('pointermove', (event) => {
    if (origin === undefined) return;
    if ((event.buttons & 1) === 0) {
      origin = undefined; // released outside before any drag began
      return;
    }
    const current = pointX(event);
    if (!selection && Math.abs(current - origin) < 6) return;
    if (!selection) {
      // Captured only once it is a drag, so that a plain click still reaches the bar under the pointer.
      svg.setPointerCapture(event.pointerId);
      selection = svg.appendChild(s('rect', { class: 'brush', y: top, height: bottom - top }));
    }
    selection.setAttribute('x', String(Math.min(origin, current)));
    selection.setAttribute('width', String(Math.abs(current - origin)));
  });
  svg.addEventListener('pointercancel', () => {
    origin = undefined;
    selection?.remove();
    selection = undefined;
  });
  svg.addEventListener('pointerup', (event) => {
    if (origin === undefined) return;
    const [a, b] = [origin, pointX(event)].sort((p, q) => p - q);
    origin = undefined;
    if (!selection) return;
    selection.remove();
    selection = undefined;
    const time = (px) => from + ((px - left) / plotWidth) * span;
    if (b - a >= 6) onZoom(time(a), time(b));
  });
}

/** Legend entries: each swatch is drawn with the classes of the bars it stands for. */
export function legendItems() {
  return [
    ['attempt', 'succeeded', 'attempt succeeded'],
    ['attempt', 'retrying', 'attempt failed, retried'],
    ['attempt', 'failed', 'attempt failed'],
    ['attempt', 'running', 'in progress'],
    ['wait', 'waiting', 'wait or sleep'],
    ['compensation', 'succeeded', 'compensation'],
    ['compensation', 'failed', 'compensation failed'],
  ];
}

/** A swatch for the legend. */
export function swatch(kind, outcome) {
  return s(
    'svg',
    { class: 'swatch', width: 22, height: 12, viewBox: '0 0 22 12', 'aria-hidden': 'true' },
    s('g', { class: `bar bar-${kind} is-${outcome}` }, s('rect', { x: 1, y: 1, width: 20, height: 10, rx: 3 })),
  );
}
