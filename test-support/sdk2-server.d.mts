export declare function sdk2Server(): unknown;
export declare function startSdk2Http(): Promise<{ url: string; close(): Promise<void> }>;
