import * as v from 'valibot';

/** Ids are server-made UUIDs; the bound keeps hostile strings short. */
export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(128));

export const MediaKind = v.picklist(['audio', 'video']);

export const UInt = v.pipe(v.number(), v.integer(), v.minValue(0));

/** RTP SSRCs are 32-bit: 0 to 2^32 - 1. */
export const UInt32 = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1));

export { AppData } from './appData.js';

export const Empty = v.object({});

/** A bounded array: no client may make the server walk a huge list. */
export function list<T extends v.GenericSchema>(item: T, max: number) {
  return v.pipe(v.array(item), v.maxLength(max));
}
