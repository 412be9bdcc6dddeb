/**
 * Why an RTP output or a recording failed. Apps switch on `code`, never on
 * the message, which says what to do.
 */
export const MediaOutErrorCode = {
  /** The `ffmpeg` executable was not found (PATH or the `ffmpegPath` option). */
  FfmpegNotFound: 'FFMPEG_NOT_FOUND',
  /** FFmpeg exited before it was ready, or could not be started. */
  FfmpegFailed: 'FFMPEG_FAILED',
  /** Nothing to output: no producer, or none the receiver can take. */
  NoMedia: 'NO_MEDIA',
  /** The output, its router or its worker closed. */
  Closed: 'CLOSED',
  /** Bad options (path, address, port). */
  InvalidOptions: 'INVALID_OPTIONS',
} as const;

export type MediaOutErrorCode = (typeof MediaOutErrorCode)[keyof typeof MediaOutErrorCode];

export class MediaOutError extends Error {
  readonly code: MediaOutErrorCode;

  constructor(code: MediaOutErrorCode, message: string) {
    super(message);
    this.name = 'MediaOutError';
    this.code = code;
  }

  static ffmpegNotFound(path: string): MediaOutError {
    return new MediaOutError(
      MediaOutErrorCode.FfmpegNotFound,
      `cannot run '${path}': install FFmpeg (apt-get install ffmpeg) or pass its path as ffmpegPath`,
    );
  }

  static ffmpegFailed(why: string): MediaOutError {
    return new MediaOutError(
      MediaOutErrorCode.FfmpegFailed,
      `FFmpeg failed: ${why} (enable DEBUG=vroom:server:* to see its log)`,
    );
  }

  static noMedia(why: string): MediaOutError {
    return new MediaOutError(MediaOutErrorCode.NoMedia, `nothing to output: ${why}`);
  }

  static closed(what: string): MediaOutError {
    return new MediaOutError(MediaOutErrorCode.Closed, `${what} closed; start a new one`);
  }

  static invalidOptions(why: string): MediaOutError {
    return new MediaOutError(MediaOutErrorCode.InvalidOptions, `invalid options: ${why}`);
  }
}
