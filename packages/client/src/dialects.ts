// The gateway dialects besides 'sark', in one module: the browser entry loads it on first use (a chunk of its own),
// so an app that speaks only the SARK API does not download them.
export { probeDialect } from './dialect-probe';
export { McpApi } from './mcp-dialect';
export { RegistryApi } from './registry-dialect';
