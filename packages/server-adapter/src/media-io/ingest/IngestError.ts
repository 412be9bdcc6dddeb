/** Machine-readable reasons an ingest cannot be made or goes on. */
export type IngestErrorCode =
  /** The codec is not one an ingest sends (opus, VP8, H264). */
  | 'codecUnknown'
  /** The room's router has no such codec (the server's `mediaCodecs`). */
  | 'codecNotInRoom'
  /** Neither audio nor video was asked for. */
  | 'nothingToSend'
  /** The port asked for is taken, or the worker has no port left. */
  | 'portUnavailable'
  /** The ingest was stopped or its room closed; make a new one. */
  | 'closed';

/** An ingest refused or ended; `code` says which, the message says what to do. */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  readonly code: IngestErrorCode;

  constructor(code: IngestErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  static codecUnknown(kind: string, codec: unknown): IngestError {
    const known = kind === 'audio' ? '"opus"' : '"vp8" or "h264"';
    return new IngestError(
      'codecUnknown',
      `an ingest cannot send ${kind} codec ${JSON.stringify(codec)}; use ${known}`,
    );
  }

  static codecNotInRoom(mimeType: string): IngestError {
    return new IngestError(
      'codecNotInRoom',
      `the room's router has no ${mimeType}: add it to the server's mediaCodecs or ingest another codec`,
    );
  }

  static nothingToSend(): IngestError {
    return new IngestError('nothingToSend', 'an ingest needs audio, video or both; got neither');
  }

  static portUnavailable(port: number | undefined, why: string): IngestError {
    const which = port === undefined ? 'a free port' : `port ${port}`;
    return new IngestError(
      'portUnavailable',
      `cannot listen on ${which} (${why}): choose another port, or free one in the worker's rtcMinPort..rtcMaxPort`,
    );
  }

  static closed(): IngestError {
    return new IngestError('closed', 'the ingest was stopped or its room closed; create a new one');
  }
}
