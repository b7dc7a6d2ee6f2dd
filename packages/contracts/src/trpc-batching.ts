/**
 * How the SDK batches tRPC calls and what the server takes: at most this many calls in one
 * request (the server's `maxBatchSize`), and a URL the SDK keeps under `maxTrpcUrlLength` by
 * splitting batches (the server's header limit is Node's 16 KiB, the URL included).
 */
export const maxTrpcBatchSize = 50;

/** No procedure name is longer (the router's test checks it); sizes the server's path limit. */
export const maxTrpcProcedureNameLength = 64;

/** The longest URL the SDK builds for one batch (characters), well under the 16 KiB header limit. */
export const maxTrpcUrlLength = 8 * 1024;
