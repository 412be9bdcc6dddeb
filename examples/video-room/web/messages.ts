import { RoomError, RoomErrorCode } from '@vroom/client/room';

/**
 * Every sentence the page shows about a failure, written for the person in
 * front of it: what happened and what they can do. The room client's own
 * messages are for developers ("pass { track }", "call join() again") and
 * only reach the console.
 */

export type Device = 'camera' | 'microphone';

/** Why a capture failed, from the browser's DOMException name (the cause of the room's MEDIA_FAILED). */
export type CaptureProblem = 'blocked' | 'missing' | 'busy' | 'failed';

export function captureProblem(error: unknown): CaptureProblem {
  const cause = error instanceof RoomError ? error.cause : error;
  const name = cause instanceof Error || cause instanceof DOMException ? cause.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'blocked';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return 'failed';
  }
}

const NAMES: Record<Device, string> = { camera: 'Camera', microphone: 'Microphone' };

/**
 * One sentence for the devices that failed for the same reason, e.g.
 * "Camera blocked: allow it in the browser's site settings."
 */
export function captureSentence(devices: readonly Device[], problem: CaptureProblem): string {
  const both = devices.length > 1;
  const subject = both ? 'Camera and microphone' : NAMES[devices[0] ?? 'camera'];
  const it = both ? 'them' : 'it';
  switch (problem) {
    case 'blocked':
      return `${subject} blocked: allow ${it} in the browser's site settings (the icon left of the address), then try again.`;
    case 'missing':
      return `No ${both ? 'camera or microphone' : subject.toLowerCase()} found: plug one in, then try again.`;
    case 'busy':
      return `${subject} in use by another app or tab: close it there, then try again.`;
    case 'failed':
      return `${subject} could not start: try again.`;
  }
}

/** The message for the devices that failed, grouped by reason: `{ text }` is shown as is. */
export function captureMessage(failures: ReadonlyMap<Device, unknown>): string {
  const byProblem = new Map<CaptureProblem, Device[]>();
  for (const [device, error] of failures) {
    const problem = captureProblem(error);
    byProblem.set(problem, [...(byProblem.get(problem) ?? []), device]);
  }
  return [...byProblem].map(([problem, devices]) => captureSentence(devices, problem)).join(' ');
}

/** A failure the page words itself: its message is for people, shown as is. */
export class PlainMessage extends Error {
  override name = 'PlainMessage';
}

/** Any other failure, in words for people; the error itself goes to the console. */
export function describeFailure(error: unknown): string {
  if (error instanceof PlainMessage) return error.message;
  if (!(error instanceof RoomError)) {
    return 'Something went wrong. Reload the page to try again.';
  }
  switch (error.code) {
    case RoomErrorCode.ServerUnreachable:
      return 'Cannot reach the server: is it running? Reload the page once it is.';
    case RoomErrorCode.ReconnectGaveUp:
    case RoomErrorCode.SignalingClosed:
    case RoomErrorCode.SignalingTimeout:
      return 'The connection to the server was lost.';
    case RoomErrorCode.TransportFailed:
      return 'Media stopped flowing: reconnecting…';
    case RoomErrorCode.RoomClosed:
      return 'The room was closed.';
    case RoomErrorCode.JoinFailed:
      return 'Could not join the room. Reload the page to try again.';
    case RoomErrorCode.MediaFailed:
      return "Could not start the capture: check the browser's site settings, then try again.";
    case RoomErrorCode.DataChannelClosed:
      return 'The message was not sent: send it again.';
    default:
      return 'Something went wrong. Reload the page to try again.';
  }
}
