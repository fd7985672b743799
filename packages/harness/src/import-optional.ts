/** A module that could not be loaded, with a reason fit for a report ("cannot find module ..."). */
export class ModuleUnavailableError extends Error {
  constructor(
    readonly specifier: string,
    reason: string,
  ) {
    super(`unavailable: ${reason}`);
    this.name = 'ModuleUnavailableError';
  }
}

/**
 * Import `specifier`, or say why not. The lab's own packages are declared dependencies of the
 * harness (package.json), so a plain import finds them; one that fails is missing or unbuilt.
 */
export async function importOptional<T = Record<string, unknown>>(specifier: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
    throw new ModuleUnavailableError(
      specifier,
      missing
        ? `cannot find module '${specifier}' (not installed or not built: run pnpm install and pnpm build)`
        : `${specifier} failed to load: ${message(err)}`,
    );
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}
