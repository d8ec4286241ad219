import { GatewayConfigError } from '@sark/core';
import { checkFunction, checkOptionsObject, checkPositive } from '@sark/core/internal';

/** Which tools become AI SDK tools, and how they are called. */
export interface ToolSelection<T> {
  /** Only tools with these names (`tool` or `server/tool`). */
  tools?: readonly string[] | undefined;
  /** Keep a tool only when this says so. */
  include?: ((tool: T) => boolean) | undefined;
  /** Drop a tool when this says so (after `include`). */
  exclude?: ((tool: T) => boolean) | undefined;
  /** Deadline of each call the model makes (default: the client's). */
  timeoutMs?: number | undefined;
}

/**
 * The items a selection keeps; `names` gives the names an item answers to in `tools`. The selection was checked
 * ({@link checkSelection}) before the tools were listed.
 */
export function selected<T>(items: readonly T[], names: (item: T) => string[], options: ToolSelection<T>): T[] {
  const wanted = options.tools === undefined ? null : new Set(options.tools);
  return items.filter(
    (item) =>
      (wanted === null || names(item).some((n) => wanted.has(n))) &&
      (options.include?.(item) ?? true) &&
      !(options.exclude?.(item) ?? false),
  );
}

/** The selection's options, checked before any tool is listed (`GatewayConfigError` naming the option). */
export function checkSelection<S extends ToolSelection<never>>(options: S): S {
  const { tools, include, exclude, timeoutMs } = checkOptionsObject(options, 'options');
  if (tools !== undefined && (!Array.isArray(tools) || tools.some((name) => typeof name !== 'string')))
    throw new GatewayConfigError({ option: 'tools', message: 'must be an array of tool names' });
  if (include !== undefined) checkFunction(include, 'include');
  if (exclude !== undefined) checkFunction(exclude, 'exclude');
  if (timeoutMs !== undefined) checkPositive(timeoutMs, 'timeoutMs');
  return options;
}
