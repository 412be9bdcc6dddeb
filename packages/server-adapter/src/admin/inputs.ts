import { AppDataSchema as AppData, describeIssues, ModerationReason } from '@vroom/protocol';
import * as v from 'valibot';
import { AdminError } from './AdminError.js';

/** Room and peer ids: the same bound the protocol puts on them. */
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const Target = { roomId: Id, peerId: Id };

/**
 * Every admin operation's input, as data: the in-process API and the HTTP
 * routes validate against the same table.
 */
export const adminInputs = {
  room: v.strictObject({ roomId: Id, stats: v.optional(v.boolean()) }),
  muteProducer: v.strictObject({ ...Target, producerId: Id, reason: v.optional(ModerationReason) }),
  closeProducer: v.strictObject({
    ...Target,
    producerId: Id,
    reason: v.optional(ModerationReason),
  }),
  removePeer: v.strictObject({ ...Target, reason: ModerationReason }),
  closeRoom: v.strictObject({ roomId: Id, reason: v.optional(ModerationReason) }),
  updatePeer: v.strictObject({
    ...Target,
    displayName: v.optional(v.pipe(v.string(), v.maxLength(128))),
    appData: v.optional(AppData),
  }),
  sendMessage: v.strictObject({
    roomId: Id,
    /** Only this peer; default: everyone in the room. */
    peerId: v.optional(Id),
    text: v.optional(v.pipe(v.string(), v.maxLength(2048))),
    appData: v.optional(AppData),
  }),
} as const;

export type AdminOperation = keyof typeof adminInputs;
export type AdminInput<O extends AdminOperation> = v.InferOutput<(typeof adminInputs)[O]>;

/** The input checked against its schema; INVALID_INPUT says which field and why. */
export function parseAdminInput<O extends AdminOperation>(
  operation: O,
  input: unknown,
): AdminInput<O> {
  const result = v.safeParse(adminInputs[operation], input);
  if (result.success) return result.output as AdminInput<O>;
  throw AdminError.invalidInput(operation, describeIssues(result.issues));
}
