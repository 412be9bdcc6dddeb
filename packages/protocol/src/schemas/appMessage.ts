import * as v from 'valibot';
import { jsonValueProblem } from './appData.js';
import { list, MediaKind } from './common.js';

/**
 * Deepest nesting of an application message's data. Its size is bounded by
 * the message size limit like any other message; depth is checked here
 * because JSON.parse accepts nesting that JSON.stringify cannot write back.
 */
export const MAX_APP_MESSAGE_DEPTH = 16;

/** `raiseHand`, `chat.send`: a letter, then up to 63 letters, digits, `_ . : -`. */
export const AppMethodName = v.pipe(
  v.string(),
  v.regex(
    /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/,
    'an app method name is a letter then up to 63 of [A-Za-z0-9_.:-]',
  ),
);

/** The data of an app request, response or notification, checked against the app's schema at each end. */
export const AppPayload = v.pipe(
  v.unknown(),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    // Bytes are bounded by the envelope's message limit: only depth and JSON-ness here.
    const problem = jsonValueProblem(dataset.value, MAX_APP_MESSAGE_DEPTH, Number.MAX_SAFE_INTEGER);
    if (problem) addIssue({ message: `app message data is ${problem}` });
  }),
);

/** An application request or notification on the wire: its app-declared name and data. */
export const AppMessage = v.object({ method: AppMethodName, data: AppPayload });

/** A producer source as clients label it in `appData.source` (`camera`, `screen`...). */
const Source = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

/**
 * What a peer may do in its room. Set by the application (the join hook,
 * then at any time); the server enforces it and tells the peer each change.
 */
export const PeerPermissions = v.object({
  /** Kinds it may produce; empty: it may not publish. */
  publish: list(MediaKind, 2),
  /** `appData.source` values it may produce; null: any (or none given). */
  publishSources: v.nullable(list(Source, 16)),
  /** It receives the others' media and data. */
  subscribe: v.boolean(),
  /** It may open data producers. */
  publishData: v.boolean(),
  /** An observer: not in the others' peer lists, no peerJoined / peerLeft for it; it may not publish. */
  hidden: v.boolean(),
  /** The application may record it (checked by recording features through `canRecord`). */
  record: v.boolean(),
});
