import type { RtpParameters } from '../../RtpParameters.js';
import type { SctpParameters } from '../../SctpParameters.js';
import type { DtlsRole } from '../../TransportParameters.js';
import { MediaSection, type MediaSectionTransport, setupForRole } from './MediaSection.js';
import type { MediaDescription } from './sdpText.js';

export type AnswerMediaSectionOptions = MediaSectionTransport & {
  /** The local offer's m-section this one answers. */
  offerMedia: MediaDescription;
  /** What mediasoup receives (payload types and extension ids of the router). */
  answerRtpParameters?: RtpParameters;
  sctpParameters?: SctpParameters;
};

/**
 * The remote answer to one m-section of our local offer (sending side): the
 * transport receives what the browser offered to send, with the codecs and
 * header extensions the router accepted.
 */
export class AnswerMediaSection extends MediaSection {
  constructor(options: AnswerMediaSectionOptions) {
    const { offerMedia } = options;
    super(
      {
        type: offerMedia.type,
        port: 7,
        protocol: offerMedia.protocol,
        // mediasoup is ICE-lite: the connection line is a placeholder (RFC 8839).
        connection: { version: 4, ip: '127.0.0.1' },
        mid: String(offerMedia.mid),
        rtp: [],
        fmtp: [],
      },
      options,
    );
    if (offerMedia.type === 'application') {
      this.answerDataChannel(offerMedia, options.sctpParameters);
    } else {
      if (!options.answerRtpParameters) {
        throw new TypeError(`answer for m-section ${this.mid} needs answerRtpParameters`);
      }
      this.answerRtp(offerMedia, options.answerRtpParameters);
    }
  }

  protected override setupFor(role: DtlsRole): string {
    return setupForRole(role);
  }

  override resume(): void {
    this.media.direction = 'recvonly';
  }

  /**
   * Tells the browser which simulcast streams are active, so it stops (or
   * restarts) sending the ones a max spatial layer excludes (RFC 8853 "~").
   */
  muxSimulcastStreams(encodings: ReadonlyArray<{ rid?: string; active?: boolean }>): void {
    const simulcast = this.media.simulcast;
    if (!simulcast) return;
    const inactive = new Set(encodings.filter((e) => e.active === false).map((e) => e.rid));
    const rids = simulcast.list1.split(';').map((id) => id.replace(/^~/, ''));
    simulcast.list1 = rids.map((rid) => (inactive.has(rid) ? `~${rid}` : rid)).join(';');
  }

  private answerRtp(offerMedia: MediaDescription, answer: RtpParameters): void {
    const media = this.media;
    media.direction = 'recvonly';
    this.writeCodecs(answer.codecs);
    // An answer may only accept extensions the offer proposed (RFC 8285 section 6).
    const offered = new Set((offerMedia.ext ?? []).map((ext) => ext.uri));
    media.ext = (answer.headerExtensions ?? [])
      .filter((ext) => offered.has(ext.uri))
      .map((ext) => ({ uri: ext.uri, value: ext.id }));
    if (offerMedia.extmapAllowMixed) media.extmapAllowMixed = 'extmap-allow-mixed';
    this.answerSimulcast(offerMedia);
    media.rtcpMux = 'rtcp-mux';
    media.rtcpRsize = 'rtcp-rsize';
  }

  /** Mirrors the offer's send simulcast as receive simulcast. */
  private answerSimulcast(offerMedia: MediaDescription): void {
    const sendRids = (offerMedia.rids ?? [])
      .filter((rid) => rid.direction === 'send')
      .map((rid) => ({ id: rid.id, direction: 'recv' }));
    if (offerMedia.simulcast) {
      this.media.simulcast = { dir1: 'recv', list1: offerMedia.simulcast.list1 };
      this.media.rids = sendRids;
    } else if (offerMedia.simulcast_03) {
      // Pre-RFC draft syntax (old Firefox): "send rid=a;b" -> "recv rid=a;b".
      this.media.simulcast_03 = { value: offerMedia.simulcast_03.value.replace(/send/g, 'recv') };
      this.media.rids = sendRids;
    }
  }

  private answerDataChannel(offerMedia: MediaDescription, sctp: SctpParameters | undefined): void {
    if (!sctp) throw new TypeError('answering a data channel m-section needs sctpParameters');
    const maxMessageSize = sctp.maxMessageSize ?? sctp.maxReceiveMessageSize;
    if (typeof offerMedia.sctpPort === 'number') {
      // RFC 8841 syntax.
      this.media.payloads = 'webrtc-datachannel';
      this.media.sctpPort = sctp.port;
      if (maxMessageSize !== undefined) this.media.maxMessageSize = maxMessageSize;
    } else if (offerMedia.sctpmap) {
      // draft-ietf-mmusic-sctp-sdp-05 syntax (old browsers).
      this.media.payloads = String(sctp.port);
      this.media.sctpmap = {
        app: 'webrtc-datachannel',
        sctpmapNumber: sctp.port,
        ...(maxMessageSize !== undefined ? { maxMessageSize } : {}),
      };
    }
  }
}
