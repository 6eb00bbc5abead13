import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SAGA_STATUSES, type PublishResult, type SagaPage, type SagaRecord, type SagaStatus } from '@sagaflow/core';
import { CARDS, order } from '../checkout/order.fixture';
import { startSaga, transfer, waitForSaga } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';
import { launchChromium } from './chromium';

const SCREENSHOT = join(__dirname, '..', '..', 'docs', 'explorer.png');
const MARKUP = '<img src=x onerror="window.__injected=1"><script>window.__injected=2</script>';

/**
 * The little of the page's globals that the functions run in the page read, through `globalThis` (page functions
 * are sent as source, so they cannot call helpers of this file); the test program has no DOM types.
 */
interface PageGlobals {
  document: {
    querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
    querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
  };
  __injected?: number;
}

/** What timeline.js's buildTimeline returns, as far as the tests read it. */
interface TimelineModel {
  live: boolean;
  end: number;
  rows: { id: string }[];
  bars: {
    kind: string;
    step: string;
    attempt?: number;
    outcome: string;
    start: number;
    end: number;
    open: boolean;
    approximate?: boolean;
  }[];
  links: { kind: string; step: string; from: number; to: number }[];
  markers: { type: string }[];
  events: { step: string; eventId?: string; at: number }[];
}

interface Bar {
  kind: string;
  step: string;
  attempt?: string;
  outcome: string;
  x: number;
  width: number;
}

/**
 * The saga explorer in a real browser (Debian's Chromium driven by playwright-core) against the built API and a
 * worker: the list, its filters and pages, a saga's timeline, the actions with their confirmation, escaping.
 */
describe('saga explorer at /admin/sagas', () => {
  let system: SagaflowSystem;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const sagas: Record<
    | 'completed'
    | 'compensated'
    | 'retried'
    | 'markup'
    | 'parkedToRetry'
    | 'parkedToResolve'
    | 'waitingToCancel'
    | 'waitingFor409',
    SagaRecord
  > = {} as never;
  const orderIds: Record<'waitingToCancel' | 'waitingFor409', string> = {} as never;

  const url = (path: string) => `${system.baseUrl}${path}`;
  const placeOrder = async () => {
    const input = order();
    const { body } = await system.request<PublishResult>('POST', '/events', {
      type: 'order.placed',
      key: input.orderId,
      payload: input,
    });
    const saga = await waitForSaga(system, body.started[0], (record) => record.status === 'waiting');
    return { saga, orderId: input.orderId };
  };

  beforeAll(async () => {
    // The browser first: without Chromium the suite fails at once, before any process is started.
    browser = await launchChromium();
    system = await SagaflowSystem.start();
    // The demo gateways seed their stock and accounts once the API reaches Redis, which may be just after it listens.
    for (const path of ['/demo/inventory/SKU-MUG', '/demo/accounts/acct-alice']) {
      await waitFor(
        () => system.request('GET', path),
        (answer) => answer.status === 200,
      );
    }
    // Any `frozen-…` account refuses to give a debit back until it is unfrozen: the saga parks.
    expect(
      (await system.request('POST', '/demo/accounts', { id: 'frozen-explorer', balanceCents: 100_000 })).status,
    ).toBe(201);
    const ids = {
      completed: await startSaga(system, 'transfer', transfer()),
      compensated: await startSaga(system, 'transfer', transfer({ toAccount: 'closed-1' })),
      retried: await startSaga(
        system,
        'checkout',
        order({
          payment: { cardNumber: CARDS.failsTwiceThenSucceeds },
          shippingAddress: { line1: '1 Rua Augusta', city: 'Lisbon', country: 'AQ' },
        }),
      ),
      markup: await startSaga(system, 'transfer', transfer({ reference: MARKUP })),
      parkedToRetry: await startSaga(system, 'transfer', transfer({ fromAccount: 'frozen-1', toAccount: 'closed-1' })),
      parkedToResolve: await startSaga(
        system,
        'transfer',
        transfer({ fromAccount: 'frozen-explorer', toAccount: 'closed-1' }),
      ),
    };
    for (const [name, id] of Object.entries(ids)) sagas[name as keyof typeof ids] = await waitForSaga(system, id);
    for (const name of ['waitingToCancel', 'waitingFor409'] as const) {
      const { saga, orderId } = await placeOrder();
      sagas[name] = saga;
      orderIds[name] = orderId;
    }
    expect(sagas.completed.status).toBe('completed');
    expect(sagas.compensated.status).toBe('compensated');
    expect(sagas.retried.status).toBe('compensated');
    expect([sagas.parkedToRetry.status, sagas.parkedToResolve.status]).toEqual([
      'compensation_failed',
      'compensation_failed',
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // Chromium logs every 4xx answer; the tests that expect one check the page instead.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(`console error: ${message.text()}`);
      }
    });
    // Offline: every request stays on the API's origin (no CDN, no font, nothing).
    page.on('request', (request) => {
      if (!request.url().startsWith(system.baseUrl)) problems.push(`request elsewhere: ${request.url()}`);
    });
  });

  afterEach(async () => {
    await page.close();
    expect(problems).toEqual([]);
  });

  const listedIds = () => attributeOf('tr[data-saga-id]', 'data-saga-id');
  const listedStatuses = () => attributeOf('tr[data-saga-id]', 'data-status');
  const attributeOf = (selector: string, name: string) =>
    page.locator(selector).evaluateAll((elements, attribute) => elements.map((e) => e.getAttribute(attribute)), name);
  /**
   * Waits until the list shows exactly these sagas (in this order, unless `anyOrder`): never satisfied by the
   * empty table of a page still loading. A function, not a string: the explorer's CSP forbids evaluating strings.
   */
  const rowsAre = (ids: string[], { anyOrder = false } = {}) =>
    page.waitForFunction(
      ([wanted, sort]) => {
        const rows = (globalThis as unknown as PageGlobals).document.querySelectorAll('tr[data-saga-id]');
        const shown = Array.from(rows).map((row) => row.getAttribute('data-saga-id') as string);
        if (sort) shown.sort();
        return JSON.stringify(shown) === JSON.stringify(wanted);
      },
      [anyOrder ? [...ids].sort() : ids, anyOrder] as const,
    );
  const apiList = async (query = '') => (await system.request<SagaPage>('GET', `/sagas${query}`)).body;
  const bars = (selector = '[data-kind=attempt], [data-kind=wait], [data-kind=compensation]') =>
    page.locator(`svg.timeline ${selector}`).evaluateAll((groups) =>
      groups.map((group) => {
        const rect = group.querySelector('rect');
        return {
          kind: group.getAttribute('data-kind'),
          step: group.getAttribute('data-step'),
          attempt: group.getAttribute('data-attempt') ?? undefined,
          outcome: group.getAttribute('data-outcome'),
          x: Number(rect?.getAttribute('x')),
          width: Number(rect?.getAttribute('width')),
        };
      }),
    ) as Promise<Bar[]>;
  const openSaga = async (id: string) => {
    await page.goto(url(`/admin/sagas/${id}`));
    await page.locator('svg.timeline').waitFor();
  };

  it('serves the page and its files from the API, with a content security policy, and redirects a trailing slash', async () => {
    const html = await fetch(url('/admin/sagas'));
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    const text = await html.text();
    expect(text).not.toMatch(/https?:\/\//);
    expect((await fetch(url(`/admin/sagas/${sagas.completed.id}`))).status).toBe(200);
    const script = await fetch(url('/admin/sagas/assets/timeline.js'));
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    const unchanged = await fetch(url('/admin/sagas/assets/timeline.js'), {
      headers: { 'if-none-match': script.headers.get('etag') as string },
    });
    expect(unchanged.status).toBe(304);
    const missing = await fetch(url('/admin/sagas/assets/..%2Fexplorer.module.js'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'EXPLORER.ASSET_NOT_FOUND' });
    const slash = await fetch(url('/admin/sagas/?status=waiting'), { redirect: 'manual' });
    expect([slash.status, slash.headers.get('location')]).toEqual([301, '../sagas?status=waiting']);
  });

  it('lists the sagas newest first, with the counts per status', async () => {
    await page.goto(url('/admin/sagas'));
    await page.locator('tr[data-saga-id]').first().waitFor();
    const listed = await listedIds();
    const fromApi = await apiList();
    expect(listed).toEqual(fromApi.items.map((saga) => saga.id));
    expect(listed).toHaveLength(8);
    expect(listed[listed.length - 1]).toBe(sagas.completed.id); // started first, so last

    const counts = (await system.request<Record<SagaStatus, number>>('GET', '/sagas/counts')).body;
    expect(counts).toEqual({
      queued: 0,
      running: 0,
      waiting: 2,
      completed: 2,
      compensating: 0,
      compensated: 2,
      compensation_failed: 2,
    });
    for (const status of SAGA_STATUSES) {
      await expect(page.locator(`.count-chip[data-status=${status}]`).getAttribute('data-count')).resolves.toBe(
        String(counts[status]),
      );
    }
    await expect(page.locator('.count-chip[data-status=all]').getAttribute('data-count')).resolves.toBe('8');
  });

  it('filters the list by status, from the status field and from the counts', async () => {
    await page.goto(url('/admin/sagas'));
    await page.locator('tr[data-saga-id]').first().waitFor();
    await page.selectOption('select[name=status]', 'compensated');
    await page.waitForURL(/status=compensated/);
    await rowsAre([sagas.compensated.id, sagas.retried.id], { anyOrder: true });
    expect(await listedStatuses()).toEqual(['compensated', 'compensated']);
    await expect(page.locator('.count-chip[data-status=compensated]').getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );

    await page.click('.count-chip[data-status=waiting]');
    await page.waitForURL(/status=waiting/);
    await rowsAre([sagas.waitingToCancel.id, sagas.waitingFor409.id], { anyOrder: true });
    expect(await listedStatuses()).toEqual(['waiting', 'waiting']);
  });

  it('filters by saga name and creation time, and searches by correlation key and by saga id', async () => {
    await page.goto(url('/admin/sagas'));
    await page.locator('tr[data-saga-id]').first().waitFor();
    await page.fill('input[name=name]', 'checkout');
    await page.press('input[name=name]', 'Enter');
    await page.waitForURL(/name=checkout/);
    const checkouts = [sagas.retried.id, sagas.waitingToCancel.id, sagas.waitingFor409.id];
    await rowsAre(checkouts, { anyOrder: true });
    expect(await attributeOf('tr[data-saga-id]', 'data-name')).toEqual(['checkout', 'checkout', 'checkout']);
    await expect(page.locator('.counts-title').textContent()).resolves.toBe('All checkout sagas:');

    // The correlation key of the order: only its checkout.
    await page.fill('input[name=q]', orderIds.waitingFor409);
    await page.press('input[name=q]', 'Enter');
    await page.waitForURL(/q=/);
    await rowsAre([sagas.waitingFor409.id]);

    // A saga id: that saga, whatever the other filters say.
    await page.fill('input[name=q]', sagas.completed.id);
    await page.press('input[name=q]', 'Enter');
    await page.locator('.alert-info').waitFor();
    await rowsAre([sagas.completed.id]);

    // Created from a minute ahead: nothing; from an hour ago to a minute ahead: all three checkouts.
    await page.click('button:has-text("Clear")');
    await page.waitForURL((target) => target.search === '');
    await page.fill('input[name=name]', 'checkout');
    // A datetime-local field holds the browser's local time, to the second.
    const local = (ms: number) =>
      page.evaluate((time) => {
        const date = new Date(time);
        const pad = (value: number) => String(value).padStart(2, '0');
        const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
        return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
      }, ms);
    await page.fill('input[name=from]', await local(Date.now() + 60_000));
    await page.click('button:has-text("Apply")');
    await page.locator('[data-empty]').waitFor();
    expect(await listedIds()).toEqual([]);
    await page.fill('input[name=from]', await local(Date.now() - 3_600_000));
    await page.fill('input[name=to]', await local(Date.now() + 60_000));
    await page.click('button:has-text("Apply")');
    await page.waitForURL(/to=/);
    await rowsAre(checkouts, { anyOrder: true });
    const search = new URL(page.url()).searchParams;
    expect(new Date(search.get('from') as string).toISOString()).toBe(search.get('from'));
  });

  it('pages through the list with the cursor, newest first', async () => {
    const all = (await apiList('?limit=100')).items.map((saga) => saga.id);
    await page.goto(url('/admin/sagas?limit=2'));
    expect(all).toHaveLength(8);
    await rowsAre(all.slice(0, 2));
    await expect(page.locator('[data-page=newer]').isDisabled()).resolves.toBe(true);

    await page.click('[data-page=older]');
    await page.waitForURL(/cursor=/);
    await rowsAre(all.slice(2, 4));
    await page.click('[data-page=older]');
    await rowsAre(all.slice(4, 6));
    await page.click('[data-page=older]');
    await rowsAre(all.slice(6, 8));

    await page.click('[data-page=newer]');
    await rowsAre(all.slice(4, 6));
    await page.goBack();
    await rowsAre(all.slice(6, 8));
  });

  it('opens the compensated transfer from the filtered list and draws its attempts and compensations on one time axis', async () => {
    await page.goto(url('/admin/sagas?status=compensated&name=transfer'));
    await page.click(`tr[data-saga-id="${sagas.compensated.id}"] a`);
    await page.waitForURL(new RegExp(`/admin/sagas/${sagas.compensated.id}$`));
    await page.locator('svg.timeline').waitFor();
    await expect(page.locator('#saga-status').textContent()).resolves.toBe('compensated');
    // A finished saga can only be rerun.
    expect(
      await page.locator('[data-action]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action'))),
    ).toEqual(['rerun']);

    const drawn = await bars();
    const attempts = drawn.filter((bar) => bar.kind === 'attempt');
    const compensations = drawn.filter((bar) => bar.kind === 'compensation');
    expect(attempts.map((bar) => [bar.step, bar.attempt, bar.outcome])).toEqual([
      ['debitSource', '1', 'succeeded'],
      ['creditDestination', '1', 'failed'],
    ]);
    // The failed credit is compensated too (compensateOnFailure), newest first, after the failure.
    expect(compensations.map((bar) => [bar.step, bar.outcome])).toEqual([
      ['creditDestination', 'succeeded'],
      ['debitSource', 'succeeded'],
    ]);
    expect(compensations[0].x).toBeGreaterThanOrEqual(attempts[1].x);
    expect(compensations[1].x).toBeGreaterThanOrEqual(compensations[0].x);
    const rows = await page
      .locator('svg.timeline text[data-row]')
      .evaluateAll((labels) => labels.map((label) => label.getAttribute('data-row')));
    expect(rows).toEqual([
      'run:debitSource',
      'run:creditDestination',
      'compensate:creditDestination',
      'compensate:debitSource',
    ]);

    const fill = (selector: string) =>
      page
        .locator(`svg.timeline ${selector} rect`)
        .first()
        .evaluate((rect) => rect.ownerDocument.defaultView?.getComputedStyle(rect).fill);
    const compensationFill = await fill('[data-kind=compensation][data-outcome=succeeded]');
    expect(compensationFill).not.toBe(await fill('[data-kind=attempt][data-outcome=succeeded]'));
    expect(compensationFill).not.toBe(await fill('[data-kind=attempt][data-outcome=failed]'));
    expect(await page.locator('svg.timeline [data-kind=marker][data-type="saga.compensating"]').count()).toBe(1);

    expect(await page.locator('.history-table tbody tr').count()).toBe(sagas.compensated.history.length);
    expect(JSON.parse((await page.locator('#saga-input').textContent()) as string)).toEqual(sagas.compensated.input);
    await expect(page.locator('[data-output=debitSource]').textContent()).resolves.toContain('operationId');
    await expect(page.locator('.saga-summary .error-box').textContent()).resolves.toContain('TRANSFER.ACCOUNT_CLOSED');
  });

  it('draws each attempt of a retried step with its backoff, and marks the history lines of a clicked bar', async () => {
    await openSaga(sagas.retried.id);
    const drawn = await bars();
    expect(
      drawn.filter((bar) => bar.step === 'chargePayment' && bar.kind === 'attempt').map((bar) => bar.outcome),
    ).toEqual(['retrying', 'retrying', 'succeeded']);
    expect(await page.locator('svg.timeline line[data-kind=backoff][data-step=chargePayment]').count()).toBe(2);
    expect(drawn.filter((bar) => bar.step === 'shipOrder').map((bar) => [bar.kind, bar.outcome])).toEqual([
      ['attempt', 'failed'],
    ]);
    expect(drawn.filter((bar) => bar.kind === 'compensation').map((bar) => bar.step)).toEqual([
      'chargePayment',
      'reserveInventory',
    ]);
    expect(drawn.filter((bar) => bar.step === 'awaitDelivery')).toEqual([]); // never reached
    const [first, second, third] = drawn.filter((bar) => bar.step === 'chargePayment' && bar.kind === 'attempt');
    expect(first.x).toBeLessThan(second.x);
    expect(second.x).toBeLessThan(third.x);

    await page.click('svg.timeline [data-kind=attempt][data-step=chargePayment][data-attempt="2"]');
    const marked = await page
      .locator('.history-table tr.is-highlighted')
      .evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-type')} ${row.getAttribute('data-attempt')}`));
    expect(marked).toEqual(['step.started 2', 'step.failed 2']);
  });

  it('derives the bars from the history, and from the step records where the history has no entry', async () => {
    await page.goto(url('/admin/sagas'));
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
    const entry = (ms: number, type: string, fields: object = {}) => ({ at: at(ms), type, ...fields });
    const timedOut = {
      status: 'compensated',
      createdAt: at(0),
      updatedAt: at(100),
      finishedAt: at(100),
      steps: [
        { name: 'reserve', status: 'compensated', attempts: 2, output: {} },
        { name: 'awaitPayment', status: 'failed', attempts: 1, wait: { event: 'paid', key: 'k-1', until: at(80) } },
      ],
      history: [
        entry(0, 'saga.started'),
        entry(1, 'step.started', { step: 'reserve', attempt: 1 }),
        entry(5, 'step.failed', { step: 'reserve', attempt: 1, willRetry: true, error: { name: 'E', message: 'x' } }),
        entry(10, 'step.started', { step: 'reserve', attempt: 2 }),
        entry(20, 'step.succeeded', { step: 'reserve', attempt: 2 }),
        entry(20, 'step.started', { step: 'awaitPayment', attempt: 1 }),
        entry(21, 'step.waiting', { step: 'awaitPayment', event: 'paid', key: 'k-1', until: at(80) }),
        entry(80, 'step.timed_out', { step: 'awaitPayment' }),
        entry(80, 'step.failed', {
          step: 'awaitPayment',
          attempt: 1,
          willRetry: false,
          error: { name: 'T', message: 't' },
        }),
        entry(80, 'saga.compensating'),
        entry(90, 'compensation.started', { step: 'reserve', attempt: 1 }),
        entry(95, 'compensation.succeeded', { step: 'reserve', attempt: 1 }),
        entry(100, 'saga.compensated'),
      ],
    };
    // A live saga whose history has no entry for its running step (as if it were trimmed): the record's timestamps.
    const fromRecord = {
      status: 'running',
      createdAt: at(0),
      updatedAt: at(10),
      steps: [
        { name: 'notify', status: 'succeeded', attempts: 1, startedAt: at(2), finishedAt: at(8), output: {} },
        { name: 'charge', status: 'running', attempts: 1, startedAt: at(10) },
      ],
      history: [entry(0, 'saga.started')],
    };
    const resumed = {
      status: 'completed',
      createdAt: at(0),
      updatedAt: at(60),
      finishedAt: at(60),
      steps: [{ name: 'awaitDelivery', status: 'succeeded', attempts: 1 }],
      history: [
        entry(0, 'saga.started'),
        entry(1, 'step.started', { step: 'awaitDelivery', attempt: 1 }),
        entry(2, 'step.waiting', { step: 'awaitDelivery', event: 'delivered', key: 'o-1', until: at(1000) }),
        entry(50, 'event.received', { step: 'awaitDelivery', event: 'delivered', eventId: 'ev-1' }),
        entry(50, 'step.succeeded', { step: 'awaitDelivery', attempt: 1 }),
        entry(60, 'saga.completed'),
      ],
    };
    // An expression rather than a function: TypeScript would compile a function's import() to require().
    const records = JSON.stringify([timedOut, fromRecord, resumed]);
    const models = await page.evaluate<TimelineModel[]>(
      `import(${JSON.stringify(url('/admin/sagas/assets/timeline.js'))}).then(({ buildTimeline }) =>
        ${records}.map((record) => buildTimeline(record, ${Date.UTC(2026, 0, 1) + 50})))`,
    );
    const start = Date.UTC(2026, 0, 1);
    const summary = (model: TimelineModel) =>
      model.bars.map((bar) => [
        bar.kind,
        bar.step,
        bar.attempt ?? null,
        bar.outcome,
        (bar.start as number) - start,
        (bar.end as number) - start,
      ]);

    expect(summary(models[0])).toEqual([
      ['attempt', 'reserve', 1, 'retrying', 1, 5],
      ['attempt', 'reserve', 2, 'succeeded', 10, 20],
      ['wait', 'awaitPayment', null, 'timed_out', 20, 80],
      ['compensation', 'reserve', 1, 'succeeded', 90, 95],
    ]);
    expect(models[0].bars[2]).toMatchObject({ event: 'paid', key: 'k-1', error: { name: 'T' } });
    expect(models[0].links).toEqual([
      expect.objectContaining({ kind: 'backoff', step: 'reserve', from: start + 5, to: start + 10 }),
    ]);
    expect(models[0].rows.map((row) => row.id)).toEqual(['run:reserve', 'run:awaitPayment', 'compensate:reserve']);
    expect(models[0].markers.map((marker) => marker.type)).toEqual([
      'saga.started',
      'saga.compensating',
      'saga.compensated',
    ]);

    expect(summary(models[1])).toEqual([
      ['attempt', 'notify', null, 'succeeded', 2, 8],
      ['attempt', 'charge', null, 'running', 10, 50],
    ]);
    expect(models[1].bars.map((bar) => [bar.approximate, bar.open])).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(models[1]).toMatchObject({ live: true, end: start + 50 });

    expect(summary(models[2])).toEqual([['wait', 'awaitDelivery', null, 'received', 1, 50]]);
    expect(models[2].bars[0]).toMatchObject({ eventId: 'ev-1' });
    expect(models[2].events).toEqual([
      expect.objectContaining({ step: 'awaitDelivery', eventId: 'ev-1', at: start + 50 }),
    ]);
  });

  it('zooms the timeline to the time dragged across, and back to the whole saga', async () => {
    await openSaga(sagas.retried.id);
    const all = await bars();
    const [first, second] = all.filter((bar) => bar.step === 'chargePayment' && bar.kind === 'attempt');
    const box = await page.locator('svg.timeline').boundingBox();
    if (!box) throw new Error('The timeline is not displayed.');
    await page.mouse.move(box.x + first.x + 1, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + second.x + second.width + 2, box.y + 20, { steps: 5 });
    await page.mouse.up();
    await page.locator('[data-zoom=reset]').waitFor();

    const zoomed = await bars();
    const attempts = zoomed.filter((bar) => bar.step === 'chargePayment' && bar.kind === 'attempt');
    expect(attempts.map((bar) => bar.outcome)).toEqual(['retrying', 'retrying']);
    expect(attempts[1].width).toBeGreaterThan(second.width);
    expect(zoomed.filter((bar) => bar.kind === 'compensation')).toEqual([]);

    await page.click('[data-zoom=reset]');
    await page.locator('[data-zoom=reset]').waitFor({ state: 'detached' });
    expect(await bars()).toEqual(all);
  });

  it('cancels a waiting checkout after confirmation, with the reason in its history', async () => {
    const { id } = sagas.waitingToCancel;
    await openSaga(id);
    await page.locator('svg.timeline [data-kind=wait][data-outcome=waiting]').waitFor();
    expect(await page.locator('[data-action=retry], [data-action=resolve]').count()).toBe(0);

    // Backing out of the confirmation changes nothing.
    await page.click('button[data-action=cancel]');
    const dialog = page.locator('dialog[data-action=cancel]');
    await dialog.waitFor();
    await dialog.locator('button:has-text("Back")').click();
    await dialog.waitFor({ state: 'detached' });
    expect((await system.request<SagaRecord>('GET', `/sagas/${id}`)).body.status).toBe('waiting');

    await page.click('button[data-action=cancel]');
    await dialog.locator('textarea[name=reason]').fill('customer called <b>support</b>');
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('#saga-status')?.textContent === 'compensated',
      undefined,
      {
        timeout: 20_000,
      },
    );
    const saga = (await system.request<SagaRecord>('GET', `/sagas/${id}`)).body;
    expect(saga.cancellation).toMatchObject({ reason: 'customer called <b>support</b>' });
    await expect(page.locator('.note-cancelled').textContent()).resolves.toContain('customer called <b>support</b>');
    await expect(page.locator('.history-table tr[data-type="saga.cancelled"]').textContent()).resolves.toContain(
      'customer called <b>support</b>',
    );
    const drawn = await bars();
    expect(drawn.filter((bar) => bar.kind === 'wait').map((bar) => bar.outcome)).toEqual(['cancelled']);
    expect(drawn.filter((bar) => bar.kind === 'compensation').map((bar) => bar.step)).toEqual([
      'shipOrder',
      'chargePayment',
      'reserveInventory',
    ]);
    expect(await page.locator('[data-action]:not([data-action=rerun])').count()).toBe(0);
  });

  it('retries a parked compensation after confirmation, once its cause is fixed', async () => {
    const { id } = sagas.parkedToRetry;
    await openSaga(id);
    expect(await page.locator('[data-action=cancel]').count()).toBe(0);
    expect(await page.locator('[data-action=resolve]').count()).toBe(1);
    const failed = (await bars('[data-kind=compensation][data-step=debitSource]')).map((bar) => bar.outcome);
    expect(failed[failed.length - 1]).toBe('failed');

    expect((await system.request('POST', '/demo/accounts/frozen-1/unfreeze')).status).toBe(200);
    await page.click('button[data-action=retry]');
    const dialog = page.locator('dialog[data-action=retry]');
    await dialog.locator('textarea[name=note]').fill('frozen-1 unfrozen');
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('#saga-status')?.textContent === 'compensated',
      undefined,
      { timeout: 20_000 },
    );
    await expect(page.locator('.history-table tr[data-type="saga.retried"]').textContent()).resolves.toContain(
      'frozen-1 unfrozen',
    );
    const outcomes = (await bars('[data-kind=compensation][data-step=debitSource]')).map((bar) => bar.outcome);
    expect(outcomes).toEqual([...failed, 'succeeded']);
    expect(await page.locator('svg.timeline [data-kind=marker][data-type="saga.retried"]').count()).toBe(1);
  });

  it('resolves a parked saga by hand only with a note', async () => {
    const { id } = sagas.parkedToResolve;
    await openSaga(id);
    await page.click('button[data-action=resolve]');
    const dialog = page.locator('dialog[data-action=resolve]');
    // Without a note the form does not submit: the dialog stays and the saga stays parked.
    await dialog.locator('button[type=submit]').click();
    expect(await dialog.isVisible()).toBe(true);
    expect((await system.request<SagaRecord>('GET', `/sagas/${id}`)).body.status).toBe('compensation_failed');

    await dialog.locator('textarea[name=note]').fill('gave the 10.00 back by hand, ticket 42');
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('#saga-status')?.textContent === 'compensated',
    );
    await expect(page.locator('.history-table tr[data-type="saga.resolved"]').textContent()).resolves.toContain(
      'ticket 42',
    );
    expect(await page.locator('[data-action]:not([data-action=rerun])').count()).toBe(0);
  });

  it("shows the API's 409 in the dialog when the saga was cancelled meanwhile", async () => {
    const { id } = sagas.waitingFor409;
    await openSaga(id);
    await page.click('button[data-action=cancel]');
    const dialog = page.locator('dialog[data-action=cancel]');
    await dialog.waitFor();
    // Someone else cancels it while the dialog is open.
    expect((await system.request('POST', `/sagas/${id}/cancel`, { reason: 'elsewhere' })).status).toBe(202);

    await dialog.locator('button[type=submit]').click();
    const error = dialog.locator('.dialog-error');
    await error.waitFor({ state: 'visible' });
    await expect(error.textContent()).resolves.toMatch(/\(409 SAGA\.STATE_CONFLICT\)/);
    await dialog.locator('button:has-text("Back")').click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('cancels every saga the filter matches after confirmation, showing the progress until done', async () => {
    const from = new Date(Date.now() - 1).toISOString();
    const placed = [await placeOrder(), await placeOrder()];
    await page.goto(url(`/admin/sagas?name=checkout&status=waiting&from=${encodeURIComponent(from)}`));
    await page.locator('table.sagas tbody tr').first().waitFor();
    // Only the operation that fits waiting sagas is offered.
    expect(await page.locator('[data-bulk]').allTextContents()).toEqual(['Cancel all matching…']);

    await page.click('button[data-bulk=cancel]');
    const dialog = page.locator('dialog[data-action=bulk-cancel]');
    await dialog.waitFor();
    await expect(dialog.locator('.dialog-body').textContent()).resolves.toContain('status = waiting');
    // The reason is required: without one the form does not submit, and nothing is started.
    await dialog.locator('button[type=submit]').click();
    expect(await dialog.isVisible()).toBe(true);
    expect((await system.request<{ items: unknown[] }>('GET', '/sagas/bulk')).body.items).toEqual([]);
    await dialog.locator('textarea[name=reason]').fill('bulk from the explorer');
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });

    const progress = page.locator('.bulk-progress[data-status=completed]');
    await progress.waitFor({ timeout: 60_000 });
    await expect(progress.textContent()).resolves.toBe(
      'Bulk cancel completed: matched 2, applied 2, skipped 0, failed 0',
    );
    for (const { saga } of placed) {
      const cancelled = await waitForSaga(system, saga.id, (record) => record.status === 'compensated');
      expect(cancelled.cancellation).toMatchObject({ reason: 'bulk from the explorer' });
    }

    // Without a filter no bulk operation is offered.
    await page.goto(url('/admin/sagas'));
    await page.locator('table.sagas tbody tr').first().waitFor();
    expect(await page.locator('[data-bulk]').count()).toBe(0);
  });

  it('reruns an ended saga after confirmation and opens the new one, linked to it, with its tags', async () => {
    const input = {
      transferId: `tr-rerun-${Date.now()}`,
      fromAccount: 'acct-alice',
      toAccount: 'acct-bob',
      amountCents: 100,
    };
    const first = await system.request<{ id: string }>('POST', '/sagas/transfer?tag=customerId:explorer-1', input);
    await waitFor(
      async () => (await system.request<SagaRecord>('GET', `/sagas/${first.body.id}`)).body,
      (saga) => saga.status === 'completed',
    );
    await openSaga(first.body.id);
    await expect(page.locator('code.tag').textContent()).resolves.toBe('customerId: explorer-1');

    await page.click('button[data-action=rerun]');
    const dialog = page.locator('dialog[data-action=rerun]');
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForURL(
      (url) => !url.pathname.endsWith(first.body.id) && /\/admin\/sagas\/[0-9a-f-]+$/.test(url.pathname),
    );
    const rerunId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    const rerun = (await system.request<SagaRecord>('GET', `/sagas/${rerunId}`)).body;
    expect(rerun).toMatchObject({
      name: 'transfer',
      input,
      rerunOf: first.body.id,
      tags: { customerId: 'explorer-1' },
    });
    await expect(page.locator(`.saga-summary a[href$="${first.body.id}"]`).count()).resolves.toBe(1);
  });

  it('filters the list by the tags the sagas were started with', async () => {
    const start = async (tags: string) =>
      (
        await system.request<{ id: string }>('POST', `/sagas/transfer?${tags}`, {
          transferId: `tr-tags-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
          fromAccount: 'acct-alice',
          toAccount: 'acct-bob',
          amountCents: 100,
        })
      ).body.id;
    const tagged = [
      await start('tag=customerId:explorer-tags&tag=region:eu'),
      await start('tag=customerId:explorer-tags&tag=region:eu'),
    ];
    await start('tag=customerId:explorer-tags&tag=region:us');

    await page.goto(url('/admin/sagas'));
    await page.locator('tr[data-saga-id]').first().waitFor();
    await page.fill('input[name=tags]', 'customerId:explorer-tags, region:eu');
    await page.press('input[name=tags]', 'Enter');
    await page.waitForURL(/tags=/);
    await rowsAre(tagged, { anyOrder: true });
  });

  it('shows saga data as text: markup in an input is never interpreted', async () => {
    await openSaga(sagas.markup.id);
    const shown = JSON.parse((await page.locator('#saga-input').textContent()) as string);
    expect(shown.reference).toBe(MARKUP);
    expect(await page.locator('img[src=x], main script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__injected)).toBeUndefined();
    await page.goto(url(`/admin/sagas?q=${encodeURIComponent('<b>not a key</b>')}`));
    await page.locator('.alert-error').waitFor();
    await expect(page.locator('.alert-error').textContent()).resolves.toContain('key must be a correlation key');
    expect(await page.locator('main b').count()).toBe(0);
  });

  it('shows "not found" for an unknown saga id', async () => {
    await page.goto(url('/admin/sagas/01a20000-0000-7000-8000-000000000000'));
    await expect(page.locator('.alert-error').textContent()).resolves.toContain('No saga has the id');
  });

  // The tracked docs/explorer.png changes only on purpose: EXPLORER_SCREENSHOT=1 writes it.
  it('takes a screenshot of a saga page (written to docs/explorer.png with EXPLORER_SCREENSHOT=1)', async () => {
    await openSaga(sagas.retried.id);
    const save = process.env.EXPLORER_SCREENSHOT === '1';
    if (save) mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    const png = await page.screenshot(save ? { path: SCREENSHOT } : {});
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});
