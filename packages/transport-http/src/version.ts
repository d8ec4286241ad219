declare const __SARK_VERSION__: string | undefined;

/** This package's version (set at build time; `0.0.0-dev` when run from source). */
export const VERSION: string = typeof __SARK_VERSION__ === 'string' ? __SARK_VERSION__ : '0.0.0-dev';
