/**
 * Sent in `join`. Bump it when a change breaks older peers; additions that old
 * peers can ignore (a new optional field, a new notification) do not need it.
 */
export const PROTOCOL_VERSION = 1;
