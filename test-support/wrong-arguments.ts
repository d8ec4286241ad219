// Calls every public function, constructor, static method and instance method of a package with arguments of the
// wrong type (fast-check), and reports every call that did not fail as it must: at once, with a typed error (a
// GatewayError, never a raw TypeError or RangeError), leaving nothing behind that throws later — timers are faked and
// run 2 minutes ahead after each call (past every default deadline and backoff), so a deadline left armed by a
// half-made call fires inside the walk; 10 minutes at the end of the walk.
import fc from 'fast-check';
import { vi } from 'vitest';

/** What a package shows the walker. */
export interface Surface {
  /** The package's public values (`import * as pkg from '@sark/…'`). */
  readonly exports: Readonly<Record<string, unknown>>;
  /** How to make a working instance of a class, so that its methods are called with wrong arguments too. */
  readonly instances?: Readonly<Record<string, () => object | Promise<object>>>;
  /**
   * Calls not made, each with the reason: an export (`name`), a constructor (`new Name`, say one TypeScript marks
   * private), a static (`Name.method`) or a method (`Name#method`).
   */
  readonly skip?: Readonly<Record<string, string>>;
}

/** A call that broke the rule: which, with what, and what happened. */
export interface Finding {
  readonly call: string;
  readonly args: string;
  readonly outcome: string;
}

/** Option names of the public API: wrong values under the right names reach the option checks. */
const OPTION_NAMES = [
  'gatewayUrl',
  'apiKey',
  'userToken',
  'token',
  'url',
  'signal',
  'timeoutMs',
  'retry',
  'circuitBreaker',
  'cache',
  'headers',
  'requestHeaders',
  'fetch',
  'logger',
  'telemetry',
  'opaClient',
  'maxConnections',
  'transportMode',
  'command',
  'args',
  'cwd',
  'env',
  'secretEnv',
  'serverName',
  'toolName',
  'parameters',
  'reconnect',
  'onProgress',
  'maxAttempts',
  'initialDelayMs',
  'maxDelayMs',
  'failureThreshold',
  'resetTimeoutMs',
  'maxEntries',
  'ttlMs',
  'policyPath',
  'servers',
  'tools',
  'sampling',
  'roots',
  'authorize',
  'redirectUri',
  'clientId',
  'clientSecret',
  'privateKey',
  'grant',
  'store',
  'scope',
  'dpop',
  'assertion',
  'tokenEndpoint',
  'idToken',
  'issuer',
  'clientMetadataUrl',
];

/** Values no typed parameter of the API accepts where they appear here. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    0,
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    'abc',
    true,
    [],
    {},
    [1, 'x'],
    () => undefined,
    () => 5,
    { signal: {} },
    { aborted: false },
    Symbol('wrong'),
    10n,
    new Date(0),
  ),
  fc.anything({ maxDepth: 2 }),
);

const optionsObject: fc.Arbitrary<unknown> = fc.dictionary(fc.constantFrom(...OPTION_NAMES), wrongValue, {
  maxKeys: 3,
});

const wrongArgument = fc.oneof(wrongValue, optionsObject);
/** Wrong arguments throughout, or a working callback first (the work a policy runs) and wrong ones after it. */
const argumentLists: fc.Arbitrary<unknown[]> = fc.oneof(
  fc.array(wrongArgument, { maxLength: 3 }),
  fc
    .tuple(
      fc.constantFrom<unknown>(
        async () => 'done',
        () => 'done',
      ),
      fc.array(wrongArgument, { minLength: 1, maxLength: 2 }),
    )
    .map(([callback, rest]) => [callback, ...rest]),
);

const isClass = (value: unknown): value is new (...args: unknown[]) => unknown =>
  typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));

function show(args: readonly unknown[]): string {
  try {
    return fc.stringify(args).slice(0, 300);
  } catch {
    return '[unprintable]';
  }
}

/** How far fake time runs after each call: past every default deadline (30 s) and backoff cap (30 s). */
const AFTER_EACH_CALL_MS = 120_000;

/** The real timer, taken before any test fakes timers. */
const realSetTimeout = globalThis.setTimeout;

/** Runs fake time forward (and real I/O between steps) until `promise` settles: at most 10 fake minutes, 3 real s. */
async function settle(promise: Promise<unknown>): Promise<{ value?: unknown; error?: unknown; settled: boolean }> {
  let outcome: { value?: unknown; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => (outcome = { value, settled: true }),
    (error: unknown) => (outcome = { error, settled: true }),
  );
  // Most calls settle within a few turns of the event loop (a refused connection, a typed rejection).
  for (let turn = 0; turn < 3 && !outcome.settled; turn++) await new Promise((resolve) => setImmediate(resolve));
  // Then each step: a fake second, and a few real milliseconds for what real I/O does (a child process exiting).
  for (let step = 0; step < 600 && !outcome.settled; step++) {
    await new Promise((resolve) => realSetTimeout(resolve, 5));
    await vi.advanceTimersByTimeAsync(1000);
  }
  return outcome;
}

/**
 * Whether `error` is an instance of the @sark error class with this brand — by the brands on its prototype chain, as
 * `instanceof` does across copies of @sark/core (test-support cannot depend on the packages whose tests use it).
 */
function hasBrand(error: unknown, name: string): boolean {
  const brand = Symbol.for(`@sark/core:${name}`);
  for (let prototype: unknown = error; typeof prototype === 'object' && prototype !== null;) {
    const owner: unknown = Object.hasOwn(prototype, 'constructor')
      ? (prototype as { constructor: unknown }).constructor
      : null;
    if (
      typeof owner === 'function' &&
      Object.hasOwn(owner, 'brand') &&
      (owner as unknown as { brand: unknown }).brand === brand
    )
      return true;
    prototype = Object.getPrototypeOf(prototype);
  }
  return false;
}

/** What is wrong with an outcome, or undefined when it is what the rule asks. */
function judge(outcome: { error?: unknown; settled: boolean }): string | undefined {
  if (!outcome.settled) return 'never settled (10 fake minutes)';
  const { error } = outcome;
  if (error === undefined) return undefined;
  if (!hasBrand(error, 'GatewayError')) {
    return error instanceof Error
      ? `failed with an untyped ${error.name}: ${error.message}`
      : `failed with a thrown ${typeof error}`;
  }
  if (hasBrand(error, 'GatewayConfigError') && (error as Error).message.includes('[REDACTED]'))
    return `a GatewayConfigError whose explanation was redacted: ${(error as Error).message}`;
  return undefined;
}

async function release(instance: unknown): Promise<void> {
  if (typeof instance !== 'object' || instance === null) return;
  for (const method of ['close', 'stop', 'dispose', 'closeAll', 'stopAll']) {
    const fn = (instance as Record<string, unknown>)[method];
    if (typeof fn === 'function') {
      await settle(Promise.resolve().then(() => (fn as () => unknown).call(instance)));
      return;
    }
  }
}

/** Calls `invoke` with generated wrong arguments `runs` times; every outcome not as the rule asks is a finding. */
async function walkOne(
  call: string,
  invoke: (args: unknown[]) => unknown,
  runs: number,
  findings: Finding[],
  skip: Readonly<Record<string, string>> = {},
): Promise<void> {
  if (skip[call] !== undefined) return;
  const samples = fc.sample(argumentLists, { numRuns: runs, seed: 27 });
  for (const args of samples) {
    const timersBefore = vi.getTimerCount();
    let result: unknown;
    let outcome: { value?: unknown; error?: unknown; settled: boolean };
    try {
      result = invoke(args);
      outcome = result instanceof Promise ? await settle(result) : { value: result, settled: true };
    } catch (error) {
      outcome = { error, settled: true };
    }
    const wrong = judge(outcome);
    if (wrong) findings.push({ call, args: show(args), outcome: wrong });
    if (outcome.value !== undefined && outcome.value !== result) await release(outcome.value);
    else await release(result);
    // Whatever a call left armed fires now, inside the walk: a throw here is a finding for that call. (A call that
    // left no timer behind needs no time to pass: most calls, and the instance's own intervals keep running anyway.)
    try {
      if (vi.getTimerCount() > timersBefore) await vi.advanceTimersByTimeAsync(AFTER_EACH_CALL_MS);
    } catch (error) {
      findings.push({ call, args: show(args), outcome: `a timer it left threw later: ${String(error)}` });
    }
    // The first wrong outcome of a call is enough to name it.
    if (findings.some((finding) => finding.call === call)) return;
  }
}

/**
 * Walks the package's public surface with wrong arguments; resolves with the findings (none when every call failed
 * at once with a typed error, or succeeded, and nothing threw later). Unhandled rejections and uncaught exceptions
 * during the walk are findings too.
 */
export async function walkWithWrongArguments(surface: Surface, runs = 40): Promise<Finding[]> {
  const findings: Finding[] = [];
  const stray: unknown[] = [];
  const onStray = (error: unknown): void => {
    stray.push(error);
  };
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  try {
    for (const [name, value] of Object.entries(surface.exports)) {
      if (surface.skip?.[name] !== undefined || typeof value !== 'function') continue;
      if (isClass(value)) {
        await walkOne(`new ${name}`, (args) => new value(...args), runs, findings, surface.skip);
        for (const key of Object.getOwnPropertyNames(value)) {
          const member = (value as unknown as Record<string, unknown>)[key];
          if (typeof member !== 'function' || isClass(member)) continue;
          await walkOne(
            `${name}.${key}`,
            (args) => (member as (...a: unknown[]) => unknown).apply(value, args),
            runs,
            findings,
            surface.skip,
          );
        }
        const make = surface.instances?.[name];
        if (make) {
          const instance = await make();
          for (const key of methodNames(instance)) {
            await walkOne(
              `${name}#${key}`,
              (args) =>
                ((instance as Record<string, unknown>)[key] as (...a: unknown[]) => unknown).apply(instance, args),
              runs,
              findings,
              surface.skip,
            );
          }
          await release(instance);
        }
      } else {
        await walkOne(
          `${name}()`,
          (args) => (value as (...a: unknown[]) => unknown)(...args),
          runs,
          findings,
          surface.skip,
        );
      }
    }
  } finally {
    await vi.advanceTimersByTimeAsync(600_000).catch((error: unknown) => stray.push(error));
    vi.useRealTimers();
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('unhandledRejection', onStray);
    process.off('uncaughtException', onStray);
  }
  for (const error of stray)
    findings.push({ call: '(after the walk)', args: '', outcome: `unhandled: ${String(error)}` });
  return findings;
}

/** The methods an instance's classes declare (not Object's), the closing ones last. */
function methodNames(instance: object): string[] {
  const names = new Set<string>();
  for (
    let prototype: object | null = Object.getPrototypeOf(instance);
    prototype && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      if (key !== 'constructor' && typeof descriptor?.value === 'function') names.add(key);
    }
  }
  const closing = ['close', 'stop', 'dispose', 'closeAll', 'stopAll', 'reset'];
  return [...names].sort((a, b) => Number(closing.includes(a)) - Number(closing.includes(b)));
}
