import { randomUUID } from 'node:crypto';
import { childSagaId, type SagaRecord, type StepRecord } from '@sagaflow/core';
import type { Account, LedgerEntry } from '@sagaflow/samples/transfer';
import type { TravelCatalogue, TripRecord } from '@sagaflow/samples/trip';
import { TRAVEL_AGENCY_ACCOUNT } from '../../libs/samples/src/trip/payment/agency-account';
import { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';

const TERMINAL = ['completed', 'compensated', 'compensation_failed'];
/** A slow booking takes 1 s (`SLOW_BOOKING_MS`); two of them one after the other would take twice as long. */
const SLOW_BOOKING_MS = 1_000;

/**
 * The trip sample over HTTP, with the built API and worker processes: a parallel group books the flight and the
 * hotel, a child transfer saga pays the agency, and `issueTickets` uses all three outputs. Every case checks the
 * agency's and the bank's state, not only statuses. Each test has an account of its own, so balances are exact.
 */
describe('trip saga, over HTTP, with the API and a worker process', () => {
  let system: SagaflowSystem;

  beforeAll(async () => {
    system = await SagaflowSystem.start();
    // The API waits for the checkout's and the bank's seeding only; the trip sample seeds on the same ready event.
    await waitFor(
      async () => ({
        agency: (await system.request('GET', `/demo/accounts/${TRAVEL_AGENCY_ACCOUNT}`)).status,
        flights: (await catalogue()).flights.length,
      }),
      ({ agency, flights }) => agency === 200 && flights > 0,
    );
  });
  afterAll(() => system.stop());

  const catalogue = async () => (await system.request<TravelCatalogue>('GET', '/demo/travel')).body;
  const seatsLeft = async (flight: string) =>
    (await catalogue()).flights.find((entry) => entry.flight === flight)?.seatsLeft;
  const roomsLeft = async (hotel: string) =>
    (await catalogue()).hotels.find((entry) => entry.hotel === hotel)?.roomsLeft;
  const balance = async (account: string) =>
    (await system.request<Account>('GET', `/demo/accounts/${account}`)).body.balanceCents;
  const tripRecord = (tripId: string) => system.request<TripRecord>('GET', `/demo/trips/${tripId}`);

  /** The operation a step recorded in the bank's ledger, and how many times it moved money; 0 when none. */
  async function ledger(idempotencyKey: string): Promise<{ operation?: LedgerEntry; applications: number }> {
    const { status, body } = await system.request<{ operation: LedgerEntry; applications: number }>(
      'GET',
      `/demo/ledger/${encodeURIComponent(idempotencyKey)}`,
    );
    return status === 404 ? { applications: 0 } : body;
  }

  /** Opens a traveller's account of its own, so that the test can check its balance to the cent. */
  async function traveller(balanceCents: number): Promise<string> {
    const id = `traveller-${randomUUID().slice(0, 8)}`;
    expect((await system.request('POST', '/demo/accounts', { id, balanceCents })).status).toBe(201);
    return id;
  }

  /** A valid trip input; each call has its own trip id. */
  const trip = (travellerAccount: string, overrides: Record<string, unknown> = {}) => ({
    tripId: `trip-${randomUUID().slice(0, 8)}`,
    travellerAccount,
    flight: 'SF-101',
    hotel: 'hotel-harbour',
    nights: 3,
    priceCents: 84_000,
    ...overrides,
  });

  async function start(input: object): Promise<string> {
    const { status, body } = await system.request<{ id: string; name: string }>('POST', '/sagas/trip', input);
    expect({ status, name: body.name }).toEqual({ status: 202, name: 'trip' });
    return body.id;
  }

  /** The saga, or `undefined` while it does not exist (a child not started yet). */
  async function read(id: string): Promise<SagaRecord | undefined> {
    const { status, body } = await system.request<SagaRecord>('GET', `/sagas/${id}`);
    return status === 200 ? body : undefined;
  }

  const finished = (id: string) =>
    waitFor(
      () => read(id),
      (saga) => saga !== undefined && TERMINAL.includes(saga.status),
      { timeoutMs: 30_000, intervalMs: 100 },
    ) as Promise<SagaRecord>;

  function step(saga: SagaRecord, name: string): StepRecord {
    const found = saga.steps.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`saga ${saga.id} has no step ${name}`);
    return found;
  }

  const statuses = (saga: SagaRecord) => Object.fromEntries(saga.steps.map((entry) => [entry.name, entry.status]));
  const at = (time: string | undefined) => Date.parse(time as string);
  const historyIndex = (saga: SagaRecord, type: string, stepName?: string) =>
    saga.history.findIndex((entry) => entry.type === type && entry.step === stepName);
  /** The trip's bookings as `[kind, status]`, flight first: the two are booked at the same time, in either order. */
  const bookings = (record: TripRecord) =>
    record.bookings.map(({ kind, status }) => [kind, status]).sort(([a], [b]) => (a < b ? -1 : 1));

  describe('when both bookings and the payment succeed', () => {
    it('books the flight and the hotel at once, pays once through a child transfer, and issues the tickets', async () => {
      const account = await traveller(1_000_000);
      const [agencyBefore, seatsBefore, roomsBefore] = [
        await balance(TRAVEL_AGENCY_ACCOUNT),
        await seatsLeft('slow-1'),
        await roomsLeft('slow-1'),
      ];
      // Both slow: each booking takes a second, so running them at once shows in their times.
      const input = trip(account, { flight: 'slow-1', hotel: 'slow-1' });
      const id = await start(input);
      const saga = await finished(id);
      const childId = childSagaId(id, 'pay');

      expect(saga.status).toBe('completed');
      expect(statuses(saga)).toEqual({
        bookFlight: 'succeeded',
        bookHotel: 'succeeded',
        pay: 'succeeded',
        issueTickets: 'succeeded',
      });

      // The two bookings overlap in time, and the group took about one booking's time, not two.
      const [flight, hotel] = [step(saga, 'bookFlight'), step(saga, 'bookHotel')];
      expect(at(flight.startedAt)).toBeLessThan(at(hotel.finishedAt));
      expect(at(hotel.startedAt)).toBeLessThan(at(flight.finishedAt));
      expect(at(flight.finishedAt) - at(flight.startedAt)).toBeGreaterThanOrEqual(SLOW_BOOKING_MS - 50);
      expect(at(hotel.finishedAt) - at(hotel.startedAt)).toBeGreaterThanOrEqual(SLOW_BOOKING_MS - 50);
      const groupMs =
        Math.max(at(flight.finishedAt), at(hotel.finishedAt)) - Math.min(at(flight.startedAt), at(hotel.startedAt));
      expect(groupMs).toBeLessThan(2 * SLOW_BOOKING_MS - 100);
      // pay starts only once both have joined.
      expect(at(step(saga, 'pay').startedAt)).toBeGreaterThanOrEqual(
        Math.max(at(flight.finishedAt), at(hotel.finishedAt)),
      );

      // The child transfer: a saga of its own, linked to its parent, whose outputs are pay's output.
      const child = (await read(childId)) as SagaRecord;
      expect(child).toMatchObject({ name: 'transfer', status: 'completed', parent: { id, step: 'pay' } });
      expect(child.input).toEqual({
        transferId: `trip-${input.tripId}`,
        fromAccount: account,
        toAccount: TRAVEL_AGENCY_ACCOUNT,
        amountCents: 84_000,
        reference: `Trip ${input.tripId}`,
      });
      expect(step(saga, 'pay')).toMatchObject({
        wait: { key: childId },
        output: {
          debitSource: { operationId: `${childId}:debitSource:run`, account, amountCents: 84_000 },
          creditDestination: {
            operationId: `${childId}:creditDestination:run`,
            account: TRAVEL_AGENCY_ACCOUNT,
            amountCents: 84_000,
          },
        },
      });

      // The money moved exactly once.
      expect(await balance(account)).toBe(1_000_000 - 84_000);
      expect(await balance(TRAVEL_AGENCY_ACCOUNT)).toBe(agencyBefore + 84_000);
      expect((await ledger(`${childId}:debitSource:run`)).applications).toBe(1);
      expect((await ledger(`${childId}:creditDestination:run`)).applications).toBe(1);

      // Both bookings held, the tickets issued against them and the credit to the agency.
      const tickets = step(saga, 'issueTickets').output;
      expect(tickets).toEqual({
        ticketId: `${id}:issueTickets:run`,
        tripId: input.tripId,
        flightBookingId: `${id}:bookFlight:run`,
        hotelBookingId: `${id}:bookHotel:run`,
        paymentId: `${childId}:creditDestination:run`,
        amountCents: 84_000,
        status: 'issued',
        issuedAt: expect.any(Number),
      });
      const record = await tripRecord(input.tripId);
      expect(record.status).toBe(200);
      expect(bookings(record.body)).toEqual([
        ['flight', 'held'],
        ['hotel', 'held'],
      ]);
      expect(record.body.bookings.find((booking) => booking.kind === 'hotel')).toMatchObject({ nights: 3 });
      expect(record.body.tickets).toEqual([tickets]);
      expect(await seatsLeft('slow-1')).toBe((seatsBefore as number) - 1);
      expect(await roomsLeft('slow-1')).toBe((roomsBefore as number) - 1);
    });
  });

  describe('when the hotel is full', () => {
    it('lets the flight booking in flight finish, cancels it, and never starts the payment', async () => {
      const account = await traveller(1_000_000);
      const [agencyBefore, seatsBefore] = [await balance(TRAVEL_AGENCY_ACCOUNT), await seatsLeft('slow-1')];
      const input = trip(account, { flight: 'slow-1', hotel: 'full-1' });
      const id = await start(input);
      const saga = await finished(id);

      expect(saga.status).toBe('compensated');
      expect(saga.error).toMatchObject({ step: 'bookHotel', code: 'TRIP.HOTEL_FULL' });
      expect(step(saga, 'bookHotel')).toMatchObject({ attempts: 1, error: { code: 'TRIP.HOTEL_FULL' } });
      expect(step(saga, 'bookFlight')).toMatchObject({ status: 'compensated', attempts: 1 });
      expect(statuses(saga)).toMatchObject({ pay: 'pending', issueTickets: 'pending' });
      // The hotel failed while the slow flight was being booked: the flight finished, and only then was undone.
      expect(historyIndex(saga, 'step.failed', 'bookHotel')).toBeLessThan(
        historyIndex(saga, 'step.succeeded', 'bookFlight'),
      );
      expect(historyIndex(saga, 'step.succeeded', 'bookFlight')).toBeLessThan(
        historyIndex(saga, 'compensation.started', 'bookFlight'),
      );

      // No child, no money moved.
      expect(await read(childSagaId(id, 'pay'))).toBeUndefined();
      expect(await balance(account)).toBe(1_000_000);
      expect(await balance(TRAVEL_AGENCY_ACCOUNT)).toBe(agencyBefore);
      expect((await ledger(`${childSagaId(id, 'pay')}:debitSource:run`)).applications).toBe(0);

      // The seat is on sale again; nothing was ever booked at the full hotel.
      const record = await tripRecord(input.tripId);
      expect(bookings(record.body)).toEqual([['flight', 'cancelled']]);
      expect(record.body.tickets).toEqual([]);
      expect(await seatsLeft('slow-1')).toBe(seatsBefore);
      expect(await roomsLeft('full-1')).toBe(0);
    });
  });

  describe('when the payment fails', () => {
    it('fails pay with SAGA.CHILD_FAILED once the transfer ends compensated, and cancels both bookings', async () => {
      const account = await traveller(10_000); // less than the trip's price
      const [agencyBefore, seatsBefore, roomsBefore] = [
        await balance(TRAVEL_AGENCY_ACCOUNT),
        await seatsLeft('SF-101'),
        await roomsLeft('hotel-harbour'),
      ];
      const input = trip(account);
      const id = await start(input);
      const saga = await finished(id);
      const childId = childSagaId(id, 'pay');

      expect(saga.status).toBe('compensated');
      expect(saga.error).toMatchObject({ step: 'pay', code: 'SAGA.CHILD_FAILED' });
      expect(step(saga, 'pay').error).toMatchObject({ code: 'SAGA.CHILD_FAILED' });
      expect(statuses(saga)).toMatchObject({
        bookFlight: 'compensated',
        bookHotel: 'compensated',
        issueTickets: 'pending',
      });

      const child = (await read(childId)) as SagaRecord;
      expect(child).toMatchObject({
        name: 'transfer',
        status: 'compensated',
        parent: { id, step: 'pay' },
        error: { step: 'debitSource', code: 'TRANSFER.INSUFFICIENT_FUNDS' },
      });
      expect(step(child, 'creditDestination').status).toBe('pending');

      // Nothing was debited, so nothing moved; the compensation's reverse is recorded as a no-op.
      expect(await balance(account)).toBe(10_000);
      expect(await balance(TRAVEL_AGENCY_ACCOUNT)).toBe(agencyBefore);
      expect((await ledger(`${childId}:debitSource:run`)).applications).toBe(0);
      expect((await ledger(`${childId}:debitSource:compensate`)).operation).toMatchObject({ applied: false });

      const record = await tripRecord(input.tripId);
      expect(bookings(record.body)).toEqual([
        ['flight', 'cancelled'],
        ['hotel', 'cancelled'],
      ]);
      expect(record.body.tickets).toEqual([]);
      expect(await seatsLeft('SF-101')).toBe(seatsBefore);
      expect(await roomsLeft('hotel-harbour')).toBe(roomsBefore);
    });
  });

  describe('when the tickets cannot be issued', () => {
    it('compensates the completed transfer as a whole, giving the money back, and cancels both bookings', async () => {
      const account = await traveller(1_000_000);
      const agencyBefore = await balance(TRAVEL_AGENCY_ACCOUNT);
      const input = trip(account, { flight: 'grounded-1' });
      const id = await start(input);
      const saga = await finished(id);
      const childId = childSagaId(id, 'pay');

      expect(saga.status).toBe('compensated');
      expect(saga.error).toMatchObject({ step: 'issueTickets', code: 'TRIP.FLIGHT_GROUNDED' });
      expect(statuses(saga)).toMatchObject({ bookFlight: 'compensated', bookHotel: 'compensated', pay: 'compensated' });

      const child = (await read(childId)) as SagaRecord;
      expect(child.status).toBe('compensated');
      const types = child.history.map((entry) => entry.type);
      expect(types.indexOf('saga.completed')).toBeGreaterThan(-1);
      expect(types.indexOf('saga.completed')).toBeLessThan(types.indexOf('saga.compensating'));
      expect(statuses(child)).toEqual({ debitSource: 'compensated', creditDestination: 'compensated' });

      // Paid once, given back once.
      await expectPaidAndGivenBack(account, agencyBefore, childId, input.tripId);
    });
  });

  describe('when the trip is cancelled while it pays', () => {
    it('cancels the running transfer, whose credit in flight finishes and is taken back, then both bookings', async () => {
      const account = await traveller(1_000_000);
      const agencyBefore = await balance(TRAVEL_AGENCY_ACCOUNT);
      // The bank's slow reference: the credit to the agency takes 1.5 s, time to cancel the trip meanwhile.
      const input = trip(account, { paymentReference: 'slow' });
      const id = await start(input);
      const childId = childSagaId(id, 'pay');
      await waitFor(
        () => read(childId),
        (child) => child !== undefined && step(child, 'creditDestination').status === 'running',
        { timeoutMs: 20_000, intervalMs: 20 },
      );
      expect((await read(id))?.status).toBe('waiting');

      const cancelled = await system.request('POST', `/sagas/${id}/cancel`, { reason: 'The traveller called it off.' });
      expect(cancelled.status).toBe(202);
      const saga = await finished(id);
      const child = await finished(childId);

      expect(saga.status).toBe('compensated');
      expect(saga.cancellation).toMatchObject({ reason: 'The traveller called it off.' });
      expect(statuses(saga)).toMatchObject({ bookFlight: 'compensated', bookHotel: 'compensated', pay: 'compensated' });
      expect(child).toMatchObject({
        status: 'compensated',
        parent: { id, step: 'pay' },
        cancellation: { reason: 'its parent saga compensates' },
      });
      expect(step(child, 'creditDestination')).toMatchObject({ status: 'compensated', attempts: 1 });

      // The credit finished (once), then both halves of the transfer were undone (once).
      await expectPaidAndGivenBack(account, agencyBefore, childId, input.tripId);
    });
  });

  /** The child transfer was applied once and taken back once; both bookings cancelled, no tickets. */
  async function expectPaidAndGivenBack(
    account: string,
    agencyBefore: number,
    childId: string,
    tripId: string,
  ): Promise<void> {
    expect(await balance(account)).toBe(1_000_000);
    expect(await balance(TRAVEL_AGENCY_ACCOUNT)).toBe(agencyBefore);
    for (const key of ['debitSource:run', 'creditDestination:run']) {
      expect((await ledger(`${childId}:${key}`)).applications).toBe(1);
    }
    for (const key of ['debitSource:compensate', 'creditDestination:compensate']) {
      expect(await ledger(`${childId}:${key}`)).toMatchObject({ operation: { applied: true }, applications: 1 });
    }
    const record = await tripRecord(tripId);
    expect(bookings(record.body)).toEqual([
      ['flight', 'cancelled'],
      ['hotel', 'cancelled'],
    ]);
    expect(record.body.tickets).toEqual([]);
  }

  describe('when the input is invalid', () => {
    it("refuses a trip paid from the agency's own account with 400, naming the field, and books nothing", async () => {
      const input = trip(TRAVEL_AGENCY_ACCOUNT);
      const { status, body } = await system.request<{ code: string; errors: { field: string }[] }>(
        'POST',
        '/sagas/trip',
        input,
      );

      expect(status).toBe(400);
      expect(body).toMatchObject({ code: 'SAGA.INPUT_INVALID', errors: [{ field: 'travellerAccount' }] });
      expect((await tripRecord(input.tripId)).status).toBe(404);
    });
  });
});
