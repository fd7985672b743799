/**
 * The kernel packages of the workspace, by short name: the one list behind `--kernels` in every lab
 * tool. A new kernel package is one line here (and a dependency of the tools that load it).
 */
export const KERNEL_PACKAGES = {
  js: '@hnswlab/kernels-js',
  wasm: '@hnswlab/kernels-wasm',
  native: '@hnswlab/kernels-native',
} as const;

export type KernelName = keyof typeof KERNEL_PACKAGES;

/** Every short name, in the order above (js, the reference that always loads, first). */
export const KERNEL_NAMES = Object.keys(KERNEL_PACKAGES) as KernelName[];

export function isKernelShortName(name: string): name is KernelName {
  return Object.hasOwn(KERNEL_PACKAGES, name);
}
