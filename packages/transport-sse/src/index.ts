export { SseTransport } from './sse-transport';
export type { SseHealth, SseTransportMetrics, SseTransportOptions } from './sse-transport';
export type { ConnectionState, StreamCounters } from './event-stream';
export type { ReconnectOptions } from '@sark/core/internal';
