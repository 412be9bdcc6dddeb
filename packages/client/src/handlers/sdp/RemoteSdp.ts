import { type MediaDescription, write } from 'sdp-transform';
import { clone } from '../../clone.js';
import type { MediaKind, RtpParameters } from '../../RtpParameters.js';
import type { SctpParameters } from '../../SctpParameters.js';
import type {
  DtlsFingerprint,
  DtlsParameters,
  DtlsRole,
  IceCandidate,
  IceParameters,
} from '../../TransportParameters.js';
import {
  answerRtpSection,
  closeSection,
  muxSimulcastStreams,
  offerRtpSection,
  sctpSection,
} from './remoteMediaSection.js';

export type RemoteSdpOptions = {
  iceParameters?: IceParameters;
  iceCandidates?: IceCandidate[];
  dtlsParameters?: DtlsParameters;
  sctpParameters?: SctpParameters;
};

/** One remote m-section: the remote side offers it (receiving) or answers ours (sending). */
type Section = { media: MediaDescription; offer: boolean };

/** The `a=setup` value that announces a DTLS role (RFC 5763). */
const SETUP = { client: 'active', server: 'passive', auto: 'actpass' } as const;

/**
 * The SDP the mediasoup transport would write if it spoke SDP. The handler
 * feeds it the server's transport parameters once and then one m-section per
 * producer or consumer; `getSdp()` renders the whole description each time
 * (the m-section order must never change within a session, RFC 8829), adding
 * the transport lines that every bundled m-section repeats, and writes it
 * with sdp-transform.
 */
export class RemoteSdp {
  private iceParameters: IceParameters | undefined;
  private iceCandidates: IceCandidate[] | undefined;
  private dtlsRole: DtlsRole | undefined;
  private fingerprint: DtlsFingerprint | undefined;
  private sctpParameters: SctpParameters | undefined;
  private sections: Section[] = [];
  /** The BUNDLE tag: closing it would tear the shared transport down. */
  private firstMid: string | undefined;
  private extmapAllowMixed = false;
  private sessionVersion = 0;

  constructor(options: RemoteSdpOptions) {
    this.setTransport(options);
  }

  /**
   * The server's transport parameters; given late for a transport created
   * before the server answered (a pipelined join). A DTLS role already set
   * from our own (`updateDtlsRole`) stays.
   */
  setTransport(options: RemoteSdpOptions): void {
    this.iceParameters = options.iceParameters;
    this.iceCandidates = options.iceCandidates;
    this.dtlsRole ??= options.dtlsParameters?.role;
    this.sctpParameters = options.sctpParameters;
    // Session-level fingerprint: every bundled section shares one DTLS transport.
    this.fingerprint = options.dtlsParameters?.fingerprints.at(-1);
  }

  updateIceParameters(iceParameters: IceParameters): void {
    this.iceParameters = iceParameters;
  }

  /** Sets the remote DTLS role once ours is known (ours is its opposite). */
  updateDtlsRole(role: DtlsRole): void {
    this.dtlsRole = role;
  }

  /** Mirrors a local offer's session-level a=extmap-allow-mixed (RFC 8285). */
  setExtmapAllowMixed(): void {
    this.extmapAllowMixed = true;
  }

  /**
   * Answers the local offer m-section at `offerIndex`. An index past the end
   * appends; an index of an existing section replaces it (the browser
   * recycled a closed m-line for a new transceiver, with a new mid).
   */
  send(options: {
    offerMedia: MediaDescription;
    offerIndex: number;
    answerRtpParameters: RtpParameters;
  }): void {
    const { offerMedia, offerIndex } = options;
    const media = answerRtpSection(offerMedia, options.answerRtpParameters);
    if (offerIndex > this.sections.length) {
      throw new Error(
        `local offer m-section ${media.mid} at index ${offerIndex} skips remote sections`,
      );
    }
    this.put(offerIndex, { media, offer: false });
  }

  /** Adds (or recycles) an offer m-section for one consumer. */
  receive(options: {
    mid: string;
    kind: MediaKind;
    offerRtpParameters: RtpParameters;
    streamId: string;
    trackId: string;
  }): void {
    const closed = this.sections.findIndex((section) => section.media.port === 0);
    this.put(closed < 0 ? this.sections.length : closed, {
      media: offerRtpSection(options),
      offer: true,
    });
  }

  /** Answers our local data channel offer (sending side). */
  sendSctp(offerMedia: MediaDescription): void {
    this.put(this.sections.length, {
      media: sctpSection(this.sctpParameters, offerMedia),
      offer: false,
    });
  }

  /** Offers the SCTP association (receiving side). */
  receiveSctp(): void {
    this.put(this.sections.length, { media: sctpSection(this.sctpParameters), offer: true });
  }

  /** Pauses (inactive) or resumes (sendonly for an offer, recvonly for an answer) a m-section. */
  setSectionActive(mid: string, active: boolean): void {
    const { media, offer } = this.section(mid);
    media.direction = !active ? 'inactive' : offer ? 'sendonly' : 'recvonly';
  }

  /** Keeps the section (and its transport) alive but carrying nothing. */
  disableSection(mid: string): void {
    this.setSectionActive(mid, false);
  }

  /**
   * Closes a m-section; returns whether it really was closed. The first mid
   * tags the BUNDLE group, and rejecting it would reject the shared
   * transport, so that one is only disabled.
   */
  closeSection(mid: string): boolean {
    const { media } = this.section(mid);
    if (mid === this.firstMid) {
      this.disableSection(mid);
      return false;
    }
    closeSection(media);
    return true;
  }

  /** Marks simulcast streams paused or active in the answer (setMaxSpatialLayer). */
  muxSimulcast(mid: string, encodings: ReadonlyArray<{ rid?: string; active?: boolean }>): void {
    // Only send transports call it, and all their sections answer local offers.
    muxSimulcastStreams(this.section(mid).media, encodings);
  }

  /**
   * Captures the current state, so a failed negotiation can be undone
   * (sendMany is all-or-nothing).
   */
  snapshot(): () => void {
    const { firstMid, extmapAllowMixed } = this;
    const sections = clone(this.sections);
    return () => {
      Object.assign(this, { sections, firstMid, extmapAllowMixed });
    };
  }

  /** The mids in order, for tests and diagnostics. */
  get mids(): string[] {
    return this.sections.map((section) => String(section.media.mid));
  }

  getSdp(): string {
    const { iceParameters, iceCandidates, dtlsRole, fingerprint } = this;
    // mediasoup is ICE-lite with a fixed candidate set: we know them all now.
    const transport: Partial<MediaDescription> = {
      ...(iceParameters && {
        iceUfrag: iceParameters.usernameFragment,
        icePwd: iceParameters.password,
      }),
      ...(iceCandidates && {
        candidates: iceCandidates.map((c) => ({
          foundation: c.foundation,
          component: 1,
          transport: c.protocol,
          priority: c.priority,
          ip: c.address ?? c.ip ?? '',
          port: c.port,
          type: c.type,
          ...(c.tcpType && { tcptype: c.tcpType }),
        })),
        endOfCandidates: 'end-of-candidates',
        iceOptions: 'renomination',
      }),
    };
    const media = this.sections.map(({ media, offer }) => ({
      ...media,
      // An offerer may only say actpass (RFC 5763 section 5).
      ...(dtlsRole && { setup: offer ? 'actpass' : SETUP[dtlsRole] }),
      // A closed section (port 0) carries no transport.
      ...(media.port !== 0 && transport),
    }));
    const live = media.filter((m) => m.port !== 0).map((m) => m.mid);
    return write({
      version: 0,
      // Each rendering is a new version of the same session (RFC 3264 section 8).
      origin: {
        username: 'vroom',
        sessionId: 10000,
        sessionVersion: ++this.sessionVersion,
        netType: 'IN',
        ipVer: 4,
        address: '0.0.0.0',
      },
      name: '-',
      timing: { start: 0, stop: 0 },
      ...(iceParameters?.iceLite && { icelite: 'ice-lite' }),
      msidSemantic: { semantic: 'WMS', token: '*' },
      groups: [{ type: 'BUNDLE', mids: live.join(' ') }],
      ...(this.extmapAllowMixed && { extmapAllowMixed: 'extmap-allow-mixed' }),
      ...(fingerprint && { fingerprint: { type: fingerprint.algorithm, hash: fingerprint.value } }),
      media,
    });
  }

  private section(mid: string): Section {
    const section = this.sections.find((s) => s.media.mid === mid);
    if (!section) throw new Error(`no remote m-section with mid "${mid}"`);
    return section;
  }

  /** Puts a section at `index`: appended past the end, else replacing (recycling) one. */
  private put(index: number, section: Section): void {
    this.firstMid ??= section.media.mid;
    this.sections[index] = section;
  }
}
