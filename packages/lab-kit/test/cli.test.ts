import { describe, expect, it } from 'vitest';
import { checkNames, flagRows, formatHelp, HELP_FLAG, parseFlags, UsageError, type Flag } from '@hnswlab/lab-kit';

const FLAGS = [
  { name: 'kernels', arg: 'LIST', help: 'which kernels' },
  { name: 'out', arg: 'DIR', help: 'where', default: 'bench-out' },
  { name: 'quick', help: 'small' },
  HELP_FLAG,
] as const satisfies readonly Flag[];

describe('CLI flags', () => {
  it('parses a flag table: repeated values join with commas, defaults fill in, a forwarded -- is dropped', () => {
    const { values, positionals } = parseFlags(['--', '--kernels', 'js', '--kernels', 'wasm', '-h', 'x'], FLAGS, true);
    expect(values).toEqual({ kernels: 'js,wasm', out: 'bench-out', quick: false, help: true });
    const out: string = values.out; // typed from the table: a flag with a default is never undefined
    expect(out).toBe('bench-out');
    expect(positionals).toEqual(['x']);
  });

  it('reports an unknown flag as a UsageError', () => {
    expect(() => parseFlags(['--frob'], FLAGS)).toThrow(UsageError);
    expect(() => parseFlags(['--frob'], FLAGS)).toThrow(/^unknown flag --frob$/);
    expect(() => parseFlags(['x'], FLAGS)).toThrow(UsageError);
  });

  it('prints help from the same table, columns aligned', () => {
    const help = formatHelp('tool [options]', [{ title: 'options', rows: flagRows(FLAGS) }], 'Exit status: 0.');
    expect(help).toBe(
      'tool [options]\n\noptions\n  --kernels LIST  which kernels\n  --out DIR       where (default bench-out)\n  --quick         small\n  -h, --help      this text\n\nExit status: 0.\n',
    );
  });

  it('checks names against the known ones', () => {
    expect(checkNames('kernel', ['js', 'js'], ['js', 'wasm'])).toEqual(['js']);
    expect(() => checkNames('kernel', ['gpu', 'tpu'], ['js'])).toThrow(/unknown kernels 'gpu', 'tpu' \(known: js\)/);
  });
});
