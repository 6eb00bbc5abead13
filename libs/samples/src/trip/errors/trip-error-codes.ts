/**
 * Stable codes of the trip errors. A step's error is persisted with its code, and the code, not the class, is what
 * an operator or an HTTP client can still match on.
 * @publicApi
 */
export const TripErrorCode = {
  UnknownFlight: 'TRIP.UNKNOWN_FLIGHT',
  UnknownHotel: 'TRIP.UNKNOWN_HOTEL',
  FlightFull: 'TRIP.FLIGHT_FULL',
  HotelFull: 'TRIP.HOTEL_FULL',
  FlightGrounded: 'TRIP.FLIGHT_GROUNDED',
  BookingNotHeld: 'TRIP.BOOKING_NOT_HELD',
  BookingMismatch: 'TRIP.BOOKING_MISMATCH',
  BookingVoided: 'TRIP.BOOKING_VOIDED',
  TicketsVoided: 'TRIP.TICKETS_VOIDED',
} as const;

export type TripErrorCode = (typeof TripErrorCode)[keyof typeof TripErrorCode];
