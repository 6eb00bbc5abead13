export * from './book-flight.step';
export * from './book-hotel.step';
export * from './issue-tickets.step';
