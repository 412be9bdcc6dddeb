import type { RtpCodecParameters } from '../../RtpParameters.js';
import type {
  DtlsParameters,
  DtlsRole,
  IceCandidate,
  IceParameters,
} from '../../TransportParameters.js';
import type { MediaDescription } from './sdpText.js';

/** The transport facts every remote m-section repeats (BUNDLE shares them). */
export type MediaSectionTransport = {
  iceParameters?: IceParameters;
  iceCandidates?: IceCandidate[];
  dtlsParameters?: DtlsParameters;
};

/** The `a=setup` value that announces a DTLS role (RFC 5763). */
export function setupForRole(role: DtlsRole): 'active' | 'passive' | 'actpass' {
  switch (role) {
    case 'client':
      return 'active';
    case 'server':
      return 'passive';
    case 'auto':
      return 'actpass';
  }
}

/** The rtpmap codec name: the subtype of the MIME type ("video/VP8" -> "VP8"). */
export function codecName(codec: Pick<RtpCodecParameters, 'mimeType'>): string {
  const slash = codec.mimeType.indexOf('/');
  if (slash < 0) throw new TypeError(`invalid codec mimeType "${codec.mimeType}"`);
  return codec.mimeType.slice(slash + 1);
}

/** Serialises codec parameters as an fmtp config ("a=1;b=2"), skipping undefined values. */
export function formatFmtpConfig(parameters: Record<string, unknown> | undefined): string {
  return Object.entries(parameters ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(';');
}

/**
 * One m-section of the remote SDP (what the mediasoup transport would say if
 * it spoke SDP). Subclasses fill the media part; this base owns the transport
 * attributes and the section's life cycle (active, paused, disabled, closed).
 */
export abstract class MediaSection {
  protected readonly media: MediaDescription;

  protected constructor(media: MediaDescription, transport: MediaSectionTransport) {
    this.media = media;
    if (transport.iceParameters) this.setIceParameters(transport.iceParameters);
    if (transport.iceCandidates) {
      // mediasoup is ICE-lite with a fixed candidate set: we know them all now.
      this.media.candidates = transport.iceCandidates.map((candidate) => ({
        foundation: candidate.foundation,
        component: 1,
        transport: candidate.protocol,
        priority: candidate.priority,
        ip: candidate.address ?? candidate.ip,
        port: candidate.port,
        type: candidate.type,
        ...(candidate.tcpType ? { tcptype: candidate.tcpType } : {}),
      }));
      this.media.endOfCandidates = 'end-of-candidates';
      this.media.iceOptions = 'renomination';
    }
    if (transport.dtlsParameters?.role) this.setDtlsRole(transport.dtlsParameters.role);
  }

  get mid(): string {
    return String(this.media.mid);
  }

  /** A closed section (port 0) stays in the SDP forever but may be recycled. */
  get closed(): boolean {
    return this.media.port === 0;
  }

  /** The SDP object, for RemoteSdp to write (not a copy). */
  getObject(): MediaDescription {
    return this.media;
  }

  /** An independent copy (same class, cloned SDP object). */
  clone(): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, { media: structuredClone(this.media) });
    return copy;
  }

  /** Writes the codecs (rtpmap, fmtp, rtcp-fb) in the given order: the m= line's payload list. */
  protected writeCodecs(codecs: readonly RtpCodecParameters[]): void {
    const media = this.media;
    media.rtcpFb = [];
    for (const codec of codecs) {
      media.rtp.push({
        payload: codec.payloadType,
        codec: codecName(codec),
        rate: codec.clockRate,
        ...(codec.channels !== undefined && codec.channels > 1 ? { encoding: codec.channels } : {}),
      });
      const config = formatFmtpConfig(codec.parameters);
      if (config) media.fmtp.push({ payload: codec.payloadType, config });
      for (const fb of codec.rtcpFeedback ?? []) {
        media.rtcpFb.push({
          payload: codec.payloadType,
          type: fb.type,
          ...(fb.parameter ? { subtype: fb.parameter } : {}),
        });
      }
    }
    media.payloads = codecs.map((codec) => codec.payloadType).join(' ');
  }

  setIceParameters(iceParameters: IceParameters): void {
    this.media.iceUfrag = iceParameters.usernameFragment;
    this.media.icePwd = iceParameters.password;
  }

  setDtlsRole(role: DtlsRole): void {
    this.media.setup = this.setupFor(role);
  }

  /** Offers must say actpass-or-concrete, answers a concrete role: see subclasses. */
  protected abstract setupFor(role: DtlsRole): string;

  pause(): void {
    this.media.direction = 'inactive';
  }

  abstract resume(): void;

  /** Keeps the section (and its transport) alive but carrying nothing. */
  disable(): void {
    this.pause();
  }

  /** Rejects the section (port 0) and strips everything a browser would still parse. */
  close(): void {
    this.disable();
    this.media.port = 0;
    this.media.rtp = [];
    this.media.fmtp = [];
    for (const key of [
      'candidates',
      'endOfCandidates',
      'iceUfrag',
      'icePwd',
      'iceOptions',
      'rtcpFb',
      'ssrcs',
      'ssrcGroups',
      'simulcast',
      'simulcast_03',
      'rids',
      'extmapAllowMixed',
    ] as const) {
      delete this.media[key];
    }
  }
}
