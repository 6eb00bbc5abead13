/**
 * What `BankGateway.seed()` opens, balances in cents: four ordinary accounts, and one for each account-based
 * fault trigger (see `FAULT_TRIGGERS`).
 * @publicApi
 */
export const DEMO_ACCOUNTS: Readonly<Record<string, number>> = {
  'acct-alice': 1_000_000,
  'acct-bob': 1_000_000,
  'acct-carol': 1_000_000,
  'acct-dave': 1_000_000,
  'closed-1': 0,
  'flaky-1': 1_000_000,
  'frozen-1': 1_000_000,
  'slow-1': 1_000_000,
};
