export * from './event-queue';
export type { ConnectionState, StreamCounters } from './event-stream';
export * from './sse-transport';
