/**
 * Stable codes of the transfer errors. A step's error is persisted with its code, and the code, not the class,
 * is what an operator or an HTTP client can still match on.
 * @publicApi
 */
export const TransferErrorCode = {
  UnknownAccount: 'TRANSFER.UNKNOWN_ACCOUNT',
  InsufficientFunds: 'TRANSFER.INSUFFICIENT_FUNDS',
  AccountClosed: 'TRANSFER.ACCOUNT_CLOSED',
  AccountFrozen: 'TRANSFER.ACCOUNT_FROZEN',
  BankUnavailable: 'TRANSFER.BANK_UNAVAILABLE',
  OperationMismatch: 'TRANSFER.OPERATION_MISMATCH',
  OperationVoided: 'TRANSFER.OPERATION_VOIDED',
} as const;

export type TransferErrorCode = (typeof TransferErrorCode)[keyof typeof TransferErrorCode];
