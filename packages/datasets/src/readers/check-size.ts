import { FileFormatError } from '../file-format-error.js';

/**
 * `value`, a count read from `file`, as a safe integer in `min..max`; anything else (NaN, negative,
 * fractional, past 2^53, past `max`) is a FileFormatError naming `field`. `why` says where `max`
 * comes from ("the bytes after the preamble"). Every size a reader allocates by passes here first.
 */
export function checkSize(file: string, field: string, value: number, min: number, max: number, why?: string): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Infinity || max >= Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer in ${min}..${max}`;
    throw new FileFormatError(file, field, String(value), why ? `${range} (${why})` : range);
  }
  return value;
}

/** A caller's row limit: a non-negative integer or Infinity (a caller's mistake, so a plain RangeError). */
export function checkRowLimit(name: string, value: number): number {
  if (value !== Infinity && !(Number.isSafeInteger(value) && value >= 0))
    throw new RangeError(`${name} must be a non-negative integer or Infinity, got ${String(value)}`);
  return value;
}
