import { Validator, type SchemaDraft } from '@cfworker/json-schema';
import { GatewayProtocolError } from '@sark/core';
import { isWireObject, redactedExcerpt } from '@sark/core/internal';
import type { McpCallToolResult, McpTool } from './mcp';

/** The JSON Schema draft a schema declares in `$schema`; MCP's default is 2020-12. */
function draftOf(schema: Readonly<Record<string, unknown>>): SchemaDraft {
  const declared = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  if (declared.includes('draft-04')) return '4';
  if (declared.includes('draft-07')) return '7';
  if (declared.includes('2019-09')) return '2019-09';
  return '2020-12';
}

/**
 * The `outputSchema`s of the tools last listed, ready to check `tools/call` results (as the official SDK does): a
 * tool with an output schema must return `structuredContent` that matches it, unless the call failed (`isError`).
 * A schema that cannot be compiled is not enforced.
 */
export class OutputSchemas {
  #validators = new Map<string, Validator>();

  /** Replaces what is known with the schemas of `tools` (the complete list, as `listTools` returns it). */
  remember(tools: readonly McpTool[]): void {
    const validators = new Map<string, Validator>();
    for (const tool of tools) {
      const schema = tool['outputSchema'];
      if (!isWireObject(schema)) continue;
      try {
        validators.set(tool.name, new Validator(schema, draftOf(schema), false));
      } catch {
        // Not a schema we can compile: the tool's output is passed through unchecked.
      }
    }
    this.#validators = validators;
  }

  /** Throws `GatewayProtocolError` when `result` breaks the tool's output schema. */
  check(name: string, result: McpCallToolResult): void {
    const validator = this.#validators.get(name);
    if (!validator || result.isError === true) return;
    if (result.structuredContent === undefined) {
      throw new GatewayProtocolError({
        message: `tools/call ${name}: the tool has an output schema but returned no structuredContent`,
        field: 'structuredContent',
      });
    }
    let errors: string;
    try {
      const outcome = validator.validate(result.structuredContent);
      if (outcome.valid) return;
      errors = outcome.errors
        .slice(0, 5)
        .map((error) => `${error.instanceLocation}: ${error.error}`)
        .join('; ');
    } catch (error) {
      errors = `the schema could not be applied (${error instanceof Error ? error.message : String(error)})`;
    }
    throw new GatewayProtocolError({
      message:
        `tools/call ${name}: structuredContent does not match the tool's outputSchema: ` + redactedExcerpt(errors, 500),
      field: 'structuredContent',
    });
  }
}
