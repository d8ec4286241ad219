/** The package's version, set by the build (tsup `define`). */
declare const __SARK_VERSION__: string;
