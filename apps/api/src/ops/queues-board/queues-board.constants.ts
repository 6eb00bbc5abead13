/** Where Bull Board is served; its JSON API is under `<route>/api`. */
export const QUEUES_BOARD_ROUTE = '/admin/queues';
