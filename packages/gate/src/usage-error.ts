/** A command line the gate cannot act on: the CLI prints the message and exits 2 (never "pass" having checked nothing). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `list` checked against `known`: throws a UsageError naming every unknown entry and what is known. */
export function checkNames(what: string, list: readonly string[], known: readonly string[]): string[] {
  const unknown = list.filter((x) => !known.includes(x));
  if (unknown.length) {
    throw new UsageError(
      `unknown ${what}${unknown.length > 1 ? 's' : ''} ${unknown.map((x) => `'${x}'`).join(', ')} (known: ${known.join(', ')})`,
    );
  }
  if (list.length === 0) throw new UsageError(`no ${what} given (known: ${known.join(', ')})`);
  return [...new Set(list)];
}
