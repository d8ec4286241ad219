export { SseTransport } from './sse-transport';
export type { ReconnectOptions, SseHealth, SseTransportMetrics, SseTransportOptions } from './sse-transport';
export type { ConnectionState, StreamCounters } from './event-stream';
