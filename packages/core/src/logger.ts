import { checkFunction } from './option-checks';
import { redact } from './redact';

/** One logging method: an object of fields and a message, as pino takes them. */
export type LogMethod = (fields: Record<string, unknown>, message?: string) => void;

/** The subset of pino's API @sark logs through. A pino logger, or anything shaped like it, fits. */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

const ignore: LogMethod = () => undefined;
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** The default logger: says nothing. */
export const silentLogger: Logger = /* @__PURE__ */ Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});

/** A logger: debug, info, warn and error are functions (`GatewayConfigError` naming the first that is not). */
export function checkLogger(logger: Logger, name: string): Logger {
  for (const level of LEVELS) checkFunction((logger as Partial<Logger> | null)?.[level], `${name}.${level}`);
  return logger;
}

/**
 * Wraps a logger so that every field and message passes through `redact` first. Every @sark package logs through
 * this, so a user's logger never sees a secret.
 */
export function redactingLogger(logger: Logger): Logger {
  if (logger === silentLogger) return silentLogger;
  checkLogger(logger, 'logger');
  const wrap =
    (method: LogMethod): LogMethod =>
    (fields, message) =>
      message === undefined
        ? method.call(logger, redact(fields))
        : method.call(logger, redact(fields), redact(message));
  return Object.freeze({
    debug: wrap(logger.debug),
    info: wrap(logger.info),
    warn: wrap(logger.warn),
    error: wrap(logger.error),
  });
}
