/**
 * Lengths a `join` accepts, in UTF-16 code units (JavaScript string length).
 * Exported so that apps check a room id or name where the user types it
 * (forms, links) against the very numbers the server enforces.
 */
export const MAX_ROOM_ID_LENGTH = 128;
export const MAX_DISPLAY_NAME_LENGTH = 128;
