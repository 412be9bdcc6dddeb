import * as v from 'valibot';
import { AppData, Id } from './schemas/common.js';

/** A moderator's reason, shown to people: short text, never markup. */
export const ModerationReason = v.pipe(v.string(), v.maxLength(256));

/**
 * What the server's moderation tells peers. Kept apart from the core table
 * so the app API can grow without touching it; spread into
 * `serverNotifications`.
 */
export const moderationNotifications = {
  /** A moderator paused one of this peer's producers: show it muted. */
  producerMuted: v.object({ producerId: Id, reason: v.optional(ModerationReason) }),
  /** A peer's metadata changed (sent to everyone, that peer included). */
  peerUpdated: v.object({
    peerId: Id,
    displayName: v.optional(v.pipe(v.string(), v.maxLength(128))),
    appData: v.optional(AppData),
  }),
  /** This peer was removed from the room; the server then closes the connection (4006). */
  removedFromRoom: v.object({ reason: ModerationReason }),
  /** A message from the server (an operator or the app) to the room or one peer. */
  serverMessage: v.object({
    text: v.optional(v.pipe(v.string(), v.maxLength(2048))),
    appData: v.optional(AppData),
  }),
} as const;
