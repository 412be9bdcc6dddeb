import type { AppData } from '../types.js';
import { CHAT_LABEL, MAX_CHAT_LENGTH } from './DataMessaging.js';
import type { HeartbeatOptions } from './Heartbeat.js';

// Argument checks of the public methods: mistakes are TypeErrors that say
// what to pass, thrown before anything is sent.

export function checkString(value: unknown, name: string, { min = 0, max = 128 } = {}): string {
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    const length = min > 0 ? `${min} to ${max}` : `at most ${max}`;
    throw new TypeError(`${name} must be a string of ${length} characters, got ${describe(value)}`);
  }
  return value;
}

export function checkOptionalString(value: unknown, name: string, max = 4096): string | undefined {
  return value === undefined ? undefined : checkString(value, name, { max });
}

export function checkObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export function checkAppData(value: unknown, name: string): AppData | undefined {
  return value === undefined ? undefined : checkObject(value, name);
}

export function checkBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`${name} must be true or false, got ${describe(value)}`);
  return value;
}

export function checkTrack(
  value: unknown,
  kind: 'audio' | 'video',
  name: string,
): MediaStreamTrack | undefined {
  if (value === undefined) return undefined;
  const track = value as Partial<MediaStreamTrack> | null;
  if (typeof track !== 'object' || track === null || typeof track.kind !== 'string') {
    throw new TypeError(`${name} must be a MediaStreamTrack, got ${describe(value)}`);
  }
  if (track.kind !== kind)
    throw new TypeError(
      `${name} must be ${kind === 'audio' ? 'an audio' : 'a video'} track, got a ${track.kind} one`,
    );
  if (track.readyState === 'ended') throw new TypeError(`${name} has ended: pass a live track`);
  return value as MediaStreamTrack;
}

export function checkLayer(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) {
    throw new TypeError(`${name} must be an integer from 0 to 255, got ${describe(value)}`);
  }
  return value;
}

export function checkHeartbeat(value: unknown): Required<HeartbeatOptions> | false {
  if (value === false) return false;
  const options = value === undefined ? {} : checkObject(value, 'heartbeat');
  const intervalMs = positive(options.intervalMs ?? 2000, 'heartbeat.intervalMs');
  const timeoutMs = positive(options.timeoutMs ?? 5000, 'heartbeat.timeoutMs');
  if (timeoutMs <= intervalMs) {
    throw new TypeError(
      'heartbeat.timeoutMs must be longer than heartbeat.intervalMs (at least two pings per timeout is wise)',
    );
  }
  return { intervalMs, timeoutMs };
}

export function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `${name} must be a positive number of milliseconds, got ${describe(value)}`,
    );
  }
  return value;
}

export function checkChat(text: unknown): string {
  if (typeof text !== 'string' || text.trim().length === 0 || text.length > MAX_CHAT_LENGTH) {
    throw new TypeError(
      `chat text must be a non-blank string of at most ${MAX_CHAT_LENGTH} characters`,
    );
  }
  return text;
}

export function checkLabel(label: unknown): string {
  checkString(label, 'label', { min: 1, max: 256 });
  if (label === CHAT_LABEL)
    throw new TypeError(`the "${CHAT_LABEL}" label is reserved: use sendChat()`);
  return label as string;
}

export function checkData(data: unknown): string | ArrayBuffer | ArrayBufferView | Blob {
  const isBlob = typeof Blob !== 'undefined' && data instanceof Blob;
  if (
    typeof data === 'string' ||
    data instanceof ArrayBuffer ||
    ArrayBuffer.isView(data) ||
    isBlob
  ) {
    return data as string | ArrayBuffer | ArrayBufferView | Blob;
  }
  throw new TypeError(
    `data must be a string, ArrayBuffer, typed array or Blob, got ${describe(data)}`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : `"${value}"`;
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : String(value);
}
