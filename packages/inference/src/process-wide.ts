/**
 * A value shared by every copy of this package loaded in one process. Next.js bundles the server's
 * instrumentation hook and its routes separately, each with its own copy of this module: a plain
 * module-level cache would load a model once per bundle (the start-up preload would warm a cache no
 * route reads, and /api/health would report it unloaded).
 */
export function processWide<T>(name: string, create: () => T): T {
  const slots = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`clearance.inference.${name}`);
  slots[key] ??= create();
  return slots[key];
}
