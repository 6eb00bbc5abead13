/**
 * What `TravelGateway.seed()` puts on sale, seats left per flight: three ordinary flights (`SF-303` a small plane,
 * so that running out is easy to show), and one for each flight-based fault trigger (see `FAULT_TRIGGERS`).
 * @publicApi
 */
export const DEMO_FLIGHTS: Readonly<Record<string, number>> = {
  'SF-101': 180,
  'SF-202': 120,
  'SF-303': 2,
  'grounded-1': 100,
  'slow-1': 150,
};

/**
 * What `TravelGateway.seed()` puts on sale, rooms left per hotel: three ordinary hotels, and one for each
 * hotel-based fault trigger (see `FAULT_TRIGGERS`).
 * @publicApi
 */
export const DEMO_HOTELS: Readonly<Record<string, number>> = {
  'hotel-alpine': 12,
  'hotel-cabin': 1,
  'hotel-harbour': 40,
  'full-1': 0,
  'slow-1': 30,
};
