import { describe, expect, it } from 'vitest';
import { checkNames, flagRows, formatHelp, HELP_FLAG, parseFlags, UsageError, type Flag } from '@hnswlab/lab-kit';

const FLAGS: Flag[] = [{ name: 'kernels', arg: 'LIST', help: 'which kernels' }, { name: 'quick', help: 'small' }, HELP_FLAG];

describe('CLI flags', () => {
  it('parses a flag table: repeated values join with commas, a forwarded -- is dropped', () => {
    const { values, positionals } = parseFlags(['--', '--kernels', 'js', '--kernels', 'wasm', '-h', 'x'], FLAGS, true);
    expect(values).toEqual({ kernels: 'js,wasm', help: true });
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
      'tool [options]\n\noptions\n  --kernels LIST  which kernels\n  --quick         small\n  -h, --help      this text\n\nExit status: 0.\n',
    );
  });

  it('checks names against the known ones', () => {
    expect(checkNames('kernel', ['js', 'js'], ['js', 'wasm'])).toEqual(['js']);
    expect(() => checkNames('kernel', ['gpu', 'tpu'], ['js'])).toThrow(/unknown kernels 'gpu', 'tpu' \(known: js\)/);
  });
});
