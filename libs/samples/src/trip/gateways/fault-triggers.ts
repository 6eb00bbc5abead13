/**
 * Flight codes and hotel ids that make the demo agency misbehave, so that each path of the trip saga can be shown
 * on demand; any other flight or hotel is served without trouble. The payment is a transfer of the demo bank, so
 * the bank's own triggers (`FAULT_TRIGGERS` of the transfer sample) apply to it through the trip's
 * `travellerAccount` and `paymentReference`.
 * @publicApi
 */
export const FAULT_TRIGGERS = {
  /** Booking a room in such a hotel fails with `HotelFullError` (permanent): the flight booked beside it is cancelled. */
  fullHotelPrefix: 'full-',
  /**
   * Booking such a flight, or a room in such a hotel, waits {@link SLOW_BOOKING_MS} before it applies: long enough
   * to see the two bookings of a trip overlap in time.
   */
  slowPrefix: 'slow-',
  /**
   * Such a flight books normally, but the airline grounds it before tickets are issued: `issueTickets` fails with
   * `FlightGroundedError` (permanent), and the paid trip is undone, the payment included.
   */
  groundedFlightPrefix: 'grounded-',
} as const;

/** How long a slow booking waits before it applies. */
export const SLOW_BOOKING_MS = 1_000;
