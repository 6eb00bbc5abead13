/** The body of every error answer: a status, a stable code, a message, and the fields at fault when known. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: readonly { field: string; messages: readonly string[] }[];
  /** On a refused cancellation: the step without compensation that has run. */
  step?: string;
}
