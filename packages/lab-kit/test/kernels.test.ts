import { describe, expect, it } from 'vitest';
import { isKernelShortName, KERNEL_NAMES, KERNEL_PACKAGES } from '@hnswlab/lab-kit';

describe('kernel registry', () => {
  it('names every kernel package once, js first', () => {
    expect(KERNEL_NAMES).toEqual(Object.keys(KERNEL_PACKAGES));
    expect(KERNEL_NAMES[0]).toBe('js');
    expect(isKernelShortName('wasm')).toBe(true);
    expect(isKernelShortName('toString')).toBe(false);
  });
});
