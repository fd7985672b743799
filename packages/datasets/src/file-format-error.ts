/**
 * A dataset or cache file that is not what it claims to be. The message names the file, the field,
 * the value found and what was expected, e.g.
 * `a.npy: header length is 1073741824; expected an integer in 1..54 (the bytes after the preamble)`.
 * A RangeError, so callers that caught the readers' earlier RangeErrors still catch it.
 */
export class FileFormatError extends RangeError {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly found: string,
    readonly expected: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${field} is ${found}; expected ${expected}`, options);
    this.name = 'FileFormatError';
  }
}
