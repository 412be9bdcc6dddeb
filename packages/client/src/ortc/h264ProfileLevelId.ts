// H264 `profile-level-id` (RFC 6184 section 8.1): three bytes in hex,
// profile_idc, profile-iop (constraint flags) and level_idc. Two H264 codecs
// only interoperate with the same profile; the level of an answer is the lower
// of the two unless both allow level asymmetry. Written here (instead of the
// `h264-profile-level-id` package, whose results the specs compare against)
// because that package bundles `debug` and a full profile/level toolkit of
// which the SDK needs two functions: see the README's dependencies section.

type Params = Record<string, unknown> | undefined;

/** A parsed id: the profile (index into PROFILE_PREFIXES) and level_idc, 0 for level 1b. */
interface ProfileLevel {
  profile: number;
  level: number;
}

// Profiles, by the hex prefix (profile_idc + profile-iop) an answer writes:
// constrained baseline, baseline, main, constrained high, high, predictive high 4:4:4.
const PROFILE_PREFIXES = ['42e0', '4200', '4d00', '640c', '6400', 'f400'];

// [profile_idc, profile-iop mask, profile-iop value after masking, profile].
// Several byte pairs mean the same profile (e.g. a main profile stream with
// constraint_set1 is also constrained baseline).
const PROFILE_PATTERNS: readonly (readonly [number, number, number, number])[] = [
  [0x42, 0x4f, 0x40, 0],
  [0x4d, 0x8f, 0x80, 0],
  [0x58, 0xcf, 0xc0, 0],
  [0x42, 0x4f, 0x00, 1],
  [0x58, 0xcf, 0x80, 1],
  [0x4d, 0xaf, 0x00, 2],
  [0x64, 0xff, 0x0c, 3],
  [0x64, 0xff, 0x00, 4],
  [0xf4, 0xff, 0x00, 5],
];

const LEVELS = [10, 11, 12, 13, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 52];
const LEVEL_1B = 0;
const CONSTRAINT_SET3 = 0x10;

/** Constrained baseline level 3.1: what an absent `profile-level-id` means. */
const DEFAULT_ID: ProfileLevel = { profile: 0, level: 31 };

function parse(id: unknown): ProfileLevel | undefined {
  if (typeof id !== 'string' || !/^[0-9a-f]{6}$/i.test(id)) return undefined;
  const value = Number.parseInt(id, 16);
  const profileIdc = value >> 16;
  const iop = (value >> 8) & 0xff;
  let level = value & 0xff;
  if (!LEVELS.includes(level)) return undefined;
  // Level 1b is written as 1.1 with constraint_set3 (only the baseline and
  // main profiles' patterns leave that flag free).
  if (level === 11 && iop & CONSTRAINT_SET3) level = LEVEL_1B;
  const pattern = PROFILE_PATTERNS.find(
    ([idc, mask, masked]) => idc === profileIdc && (iop & mask) === masked,
  );
  return pattern && { profile: pattern[3], level };
}

function parseParams(params: Params): ProfileLevel | undefined {
  const id = params?.['profile-level-id'];
  return id ? parse(id) : DEFAULT_ID;
}

/**
 * Whether level `a` counts as lower than `b`. Level 1b sits between 1 and 1.1,
 * except that against a 1b `b` this answers as h264-profile-level-id 2.x does
 * (so answers equal mediasoup-client's): any level but 1 counts as lower.
 */
function isLower(a: number, b: number): boolean {
  if (a === LEVEL_1B) return b !== 10 && b !== LEVEL_1B;
  if (b === LEVEL_1B) return a !== 10;
  return a < b;
}

function idString({ profile, level }: ProfileLevel): string | undefined {
  if (level === LEVEL_1B) {
    // 1b: level_idc 11 with constraint_set3, only in the profiles that have it.
    return ['42f00b', '42100b', '4d100b'][profile];
  }
  return PROFILE_PREFIXES[profile] + level.toString(16).padStart(2, '0');
}

/** Whether both fmtp parameter sets name the same H264 profile (absent means constrained baseline). */
export function isSameProfile(params1: Params, params2: Params): boolean {
  const a = parseParams(params1);
  const b = parseParams(params2);
  return a !== undefined && b !== undefined && a.profile === b.profile;
}

const asymmetryAllowed = (params: Params): boolean => {
  const value = params?.['level-asymmetry-allowed'];
  return value === 1 || value === '1';
};

/**
 * The `profile-level-id` to answer `remote`'s offer with, given what `local`
 * supports; undefined when neither side has one. Throws a TypeError when an id
 * is malformed or the profiles differ.
 */
export function generateProfileLevelIdStringForAnswer(
  local: Params,
  remote: Params,
): string | undefined {
  if (!local?.['profile-level-id'] && !remote?.['profile-level-id']) return undefined;
  const localId = parseParams(local);
  const remoteId = parseParams(remote);
  if (!localId) throw new TypeError('invalid local H264 profile-level-id');
  if (!remoteId) throw new TypeError('invalid remote H264 profile-level-id');
  if (localId.profile !== remoteId.profile) throw new TypeError('H264 profile mismatch');
  const lower = isLower(localId.level, remoteId.level) ? localId.level : remoteId.level;
  const level = asymmetryAllowed(local) && asymmetryAllowed(remote) ? localId.level : lower;
  return idString({ profile: localId.profile, level });
}
