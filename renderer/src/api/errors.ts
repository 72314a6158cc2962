// Any failure the shell shows, as the contract's ApiError: a request's error envelope
// keeps its code, hint and details; anything else becomes an 'internal' error.
import type { ApiError } from '../../../electron/api/contract';
import { ApiRequestError } from '../../../electron/api/contract';

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiRequestError) return error.error;
  const shaped = error as Partial<ApiRequestError> | undefined;
  if (shaped && typeof shaped === 'object' && shaped.error && typeof shaped.error.message === 'string') return shaped.error;
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export function isErrorCode(error: unknown, code: string): boolean {
  return toApiError(error).code === code;
}
