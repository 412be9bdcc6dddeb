import type { RtpEncodingParameters } from '../RtpParameters.js';
import { RoomError } from './errors.js';

/**
 * Three simulcast layers for cameras (quarter, half and full resolution), so
 * the SFU can give each receiver what its link and its tile size need.
 */
export const CAMERA_SIMULCAST_ENCODINGS: readonly RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

/** How a camera track is produced: simulcast layers, and a start bitrate that skips the slow ramp-up. */
export function cameraPublishOptions(simulcast: boolean) {
  return {
    ...(simulcast
      ? { encodings: CAMERA_SIMULCAST_ENCODINGS.map((encoding) => ({ ...encoding })) }
      : {}),
    codecOptions: { videoGoogleStartBitrate: 1000 },
  };
}

/** Mono Opus with DTX (silence costs nothing) and FEC (loss concealment). */
export const MICROPHONE_PUBLISH = {
  codecOptions: { opusStereo: false, opusDtx: true, opusFec: true },
};

/** Screen content: one sharp layer rather than blurry small ones. */
export const SCREEN_ENCODINGS: readonly RtpEncodingParameters[] = [{ maxBitrate: 2_500_000 }];

const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30 },
};

const MICROPHONE_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

function mediaDevices(what: string): MediaDevices {
  const devices = (globalThis as { navigator?: { mediaDevices?: MediaDevices } }).navigator
    ?.mediaDevices;
  if (!devices?.getUserMedia) {
    throw RoomError.unsupported(
      `cannot capture the ${what}: no navigator.mediaDevices here (Node, or a page not served over https/localhost); pass { track }`,
    );
  }
  return devices;
}

function withDevice(
  base: MediaTrackConstraints,
  deviceId: string | undefined,
): MediaTrackConstraints {
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

export type CaptureRequest = {
  camera?: { deviceId?: string | undefined };
  microphone?: { deviceId?: string | undefined };
};

/** Camera and/or microphone in ONE getUserMedia call (one permission prompt). */
export async function captureUserMedia(
  request: CaptureRequest,
): Promise<{ camera?: MediaStreamTrack; microphone?: MediaStreamTrack }> {
  const what = [request.camera && 'camera', request.microphone && 'microphone']
    .filter(Boolean)
    .join(' and ');
  const devices = mediaDevices(what);
  let stream: MediaStream;
  try {
    stream = await devices.getUserMedia({
      video: request.camera ? withDevice(CAMERA_CONSTRAINTS, request.camera.deviceId) : false,
      audio: request.microphone
        ? withDevice(MICROPHONE_CONSTRAINTS, request.microphone.deviceId)
        : false,
    });
  } catch (error) {
    throw RoomError.mediaFailed(what, error);
  }
  const camera = stream.getVideoTracks()[0];
  const microphone = stream.getAudioTracks()[0];
  return { ...(camera ? { camera } : {}), ...(microphone ? { microphone } : {}) };
}

export async function captureScreen(
  audio: boolean,
): Promise<{ screen: MediaStreamTrack; screenAudio?: MediaStreamTrack }> {
  const devices = mediaDevices('screen');
  if (!devices.getDisplayMedia)
    throw RoomError.unsupported('screen sharing is not available here; pass { track }');
  let stream: MediaStream;
  try {
    stream = await devices.getDisplayMedia({ video: true, audio });
  } catch (error) {
    throw RoomError.mediaFailed('screen', error);
  }
  const screen = stream.getVideoTracks()[0];
  if (!screen)
    throw RoomError.mediaFailed('screen', new Error('getDisplayMedia gave no video track'));
  // Text stays readable: the encoder keeps resolution and drops frames instead.
  screen.contentHint = 'detail';
  const screenAudio = stream.getAudioTracks()[0];
  return { screen, ...(screenAudio ? { screenAudio } : {}) };
}
