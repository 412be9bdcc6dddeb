import type { MediaKind, RtpParameters } from '../../RtpParameters.js';
import type { SctpParameters } from '../../SctpParameters.js';
import type { DtlsRole } from '../../TransportParameters.js';
import { MediaSection, type MediaSectionTransport } from './MediaSection.js';

export type OfferMediaSectionOptions = MediaSectionTransport & {
  mid: string;
  kind: MediaKind | 'application';
  /** What the consumer sends (required for audio and video). */
  offerRtpParameters?: RtpParameters;
  /** a=msid stream id: receivers synchronise tracks that share it. */
  streamId?: string;
  trackId?: string;
  sctpParameters?: SctpParameters;
};

/**
 * A remote offer m-section (receiving side): mediasoup offers to send one
 * consumer's stream, or the SCTP association for data channels.
 */
export class OfferMediaSection extends MediaSection {
  constructor(options: OfferMediaSectionOptions) {
    const isData = options.kind === 'application';
    super(
      {
        type: options.kind,
        port: 7,
        protocol: isData ? 'UDP/DTLS/SCTP' : 'UDP/TLS/RTP/SAVPF',
        connection: { version: 4, ip: '127.0.0.1' },
        mid: options.mid,
        rtp: [],
        fmtp: [],
      },
      options,
    );
    if (isData) {
      this.offerDataChannel(options.sctpParameters);
    } else {
      if (!options.offerRtpParameters) {
        throw new TypeError(`offer for m-section ${options.mid} needs offerRtpParameters`);
      }
      this.offerRtp(options.offerRtpParameters, options.streamId ?? '-', options.trackId ?? '-');
    }
  }

  /** As an offerer the remote side may only say actpass (RFC 5763 section 5). */
  protected override setupFor(_role: DtlsRole): string {
    return 'actpass';
  }

  override resume(): void {
    this.media.direction = 'sendonly';
  }

  private offerRtp(offer: RtpParameters, streamId: string, trackId: string): void {
    const media = this.media;
    media.direction = 'sendonly';
    this.writeCodecs(offer.codecs);
    media.ext = (offer.headerExtensions ?? []).map((ext) => ({ uri: ext.uri, value: ext.id }));
    media.rtcpMux = 'rtcp-mux';
    media.rtcpRsize = 'rtcp-rsize';
    // A consumer is a single stream: one SSRC (plus its RTX SSRC).
    const encoding = offer.encodings?.[0];
    if (encoding?.ssrc === undefined) {
      throw new TypeError(`consumer m-section ${this.mid} has no encodings[0].ssrc`);
    }
    const cname = offer.rtcp?.cname ?? '-';
    const ssrcs = [encoding.ssrc];
    if (encoding.rtx?.ssrc !== undefined) ssrcs.push(encoding.rtx.ssrc);
    media.msid = [{ id: streamId, appdata: trackId }];
    media.ssrcs = ssrcs.flatMap((id) => [
      { id, attribute: 'msid', value: `${streamId} ${trackId}` },
      { id, attribute: 'cname', value: cname },
    ]);
    if (ssrcs.length === 2) media.ssrcGroups = [{ semantics: 'FID', ssrcs: ssrcs.join(' ') }];
  }

  private offerDataChannel(sctp: SctpParameters | undefined): void {
    if (!sctp) throw new TypeError('offering a data channel m-section needs sctpParameters');
    this.media.payloads = 'webrtc-datachannel';
    this.media.sctpPort = sctp.port;
    const maxMessageSize = sctp.maxMessageSize ?? sctp.maxSendMessageSize;
    if (maxMessageSize !== undefined) this.media.maxMessageSize = maxMessageSize;
  }
}
