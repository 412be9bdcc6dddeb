import type { MediaKind, RtpParameters } from '../../RtpParameters.js';
import type { SctpParameters } from '../../SctpParameters.js';
import type {
  DtlsParameters,
  DtlsRole,
  IceCandidate,
  IceParameters,
} from '../../TransportParameters.js';
import { AnswerMediaSection } from './AnswerMediaSection.js';
import type { MediaSection } from './MediaSection.js';
import { OfferMediaSection } from './OfferMediaSection.js';
import { type MediaDescription, type SessionDescription, writeSdp } from './sdpText.js';

export type RemoteSdpOptions = {
  iceParameters?: IceParameters;
  iceCandidates?: IceCandidate[];
  dtlsParameters?: DtlsParameters;
  sctpParameters?: SctpParameters;
};

/**
 * The SDP the mediasoup transport would write if it spoke SDP. The handler
 * feeds it the server's transport parameters once and then one m-section per
 * producer or consumer; `getSdp()` renders the whole description each time
 * (the m-section order must never change within a session, RFC 8829).
 */
export class RemoteSdp {
  private iceParameters: IceParameters | undefined;
  private readonly iceCandidates: IceCandidate[] | undefined;
  private dtlsParameters: DtlsParameters | undefined;
  private readonly sctpParameters: SctpParameters | undefined;
  private readonly sections: MediaSection[] = [];
  private readonly indexByMid = new Map<string, number>();
  /** The BUNDLE tag: closing it would tear the shared transport down. */
  private firstMid: string | undefined;
  private readonly session: SessionDescription;

  constructor(options: RemoteSdpOptions) {
    this.iceParameters = options.iceParameters;
    this.iceCandidates = options.iceCandidates;
    this.dtlsParameters = options.dtlsParameters;
    this.sctpParameters = options.sctpParameters;
    this.session = {
      version: 0,
      origin: {
        username: 'vroom',
        sessionId: 10000,
        sessionVersion: 0,
        netType: 'IN',
        ipVer: 4,
        address: '0.0.0.0',
      },
      name: '-',
      timing: { start: 0, stop: 0 },
      media: [],
    };
    if (options.iceParameters?.iceLite) this.session.icelite = 'ice-lite';
    this.session.msidSemantic = { semantic: 'WMS', token: '*' };
    // Session-level fingerprint: every bundled section shares one DTLS transport.
    const fingerprint = options.dtlsParameters?.fingerprints.at(-1);
    if (fingerprint) {
      this.session.fingerprint = { type: fingerprint.algorithm, hash: fingerprint.value };
    }
    this.session.groups = [{ type: 'BUNDLE', mids: '' }];
  }

  updateIceParameters(iceParameters: IceParameters): void {
    this.iceParameters = iceParameters;
    if (iceParameters.iceLite) this.session.icelite = 'ice-lite';
    else delete this.session.icelite;
    for (const section of this.sections) section.setIceParameters(iceParameters);
  }

  /** Sets the remote DTLS role once ours is known (ours is its opposite). */
  updateDtlsRole(role: DtlsRole): void {
    // Sections added later must announce the same role.
    if (this.dtlsParameters) this.dtlsParameters = { ...this.dtlsParameters, role };
    for (const section of this.sections) section.setDtlsRole(role);
  }

  /** Mirrors a local offer's session-level a=extmap-allow-mixed (RFC 8285). */
  setSessionExtmapAllowMixed(): void {
    this.session.extmapAllowMixed = 'extmap-allow-mixed';
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
    const section = new AnswerMediaSection({
      ...this.transport(),
      offerMedia: options.offerMedia,
      answerRtpParameters: options.answerRtpParameters,
    });
    const existing = this.sections[options.offerIndex];
    if (existing) this.replaceSection(section, existing.mid);
    else if (options.offerIndex === this.sections.length) this.addSection(section);
    else {
      throw new Error(
        `local offer m-section ${section.mid} at index ${options.offerIndex} skips remote sections`,
      );
    }
  }

  /** Adds (or recycles) an offer m-section for one consumer. */
  receive(options: {
    mid: string;
    kind: MediaKind;
    offerRtpParameters: RtpParameters;
    streamId: string;
    trackId: string;
  }): void {
    const section = new OfferMediaSection({ ...this.transport(), ...options });
    const closed = this.sections.find((s) => s.closed);
    if (closed) this.replaceSection(section, closed.mid);
    else this.addSection(section);
  }

  /** Answers our local data channel offer (sending side). */
  sendSctpAssociation(offerMedia: MediaDescription): void {
    const section = new AnswerMediaSection({
      ...this.transport(),
      offerMedia,
      ...(this.sctpParameters ? { sctpParameters: this.sctpParameters } : {}),
    });
    this.addSection(section);
  }

  /** Offers the SCTP association (receiving side). */
  receiveSctpAssociation(): void {
    const section = new OfferMediaSection({
      ...this.transport(),
      mid: 'datachannel',
      kind: 'application',
      ...(this.sctpParameters ? { sctpParameters: this.sctpParameters } : {}),
    });
    this.addSection(section);
  }

  /** Pauses (inactive) or resumes (sendonly / recvonly) a m-section. */
  setMediaSectionActive(mid: string, active: boolean): void {
    const section = this.section(mid);
    if (active) section.resume();
    else section.pause();
  }

  disableMediaSection(mid: string): void {
    this.section(mid).disable();
  }

  /**
   * Closes a m-section; returns whether it really was closed. The first mid
   * tags the BUNDLE group, and rejecting it would reject the shared
   * transport, so that one is only disabled.
   */
  closeMediaSection(mid: string): boolean {
    const section = this.section(mid);
    if (mid === this.firstMid) {
      section.disable();
      return false;
    }
    section.close();
    this.regenerateBundleMids();
    return true;
  }

  /** Marks simulcast streams paused or active in the answer (setMaxSpatialLayer). */
  muxMediaSectionSimulcast(
    mid: string,
    encodings: ReadonlyArray<{ rid?: string; active?: boolean }>,
  ): void {
    const section = this.section(mid);
    if (!(section instanceof AnswerMediaSection)) {
      throw new TypeError(`m-section ${mid} is not an answer to a local simulcast offer`);
    }
    section.muxSimulcastStreams(encodings);
  }

  /**
   * Captures the current state, so a failed negotiation can be undone
   * (sendMany is all-or-nothing).
   */
  snapshot(): () => void {
    const sections = this.sections.map((section) => section.clone());
    const firstMid = this.firstMid;
    const extmapAllowMixed = this.session.extmapAllowMixed;
    return () => {
      this.sections.length = 0;
      this.indexByMid.clear();
      this.session.media = [];
      this.firstMid = firstMid;
      if (extmapAllowMixed) this.session.extmapAllowMixed = extmapAllowMixed;
      else delete this.session.extmapAllowMixed;
      for (const section of sections) this.push(section);
      this.regenerateBundleMids();
    };
  }

  /** The mids in order, for tests and diagnostics. */
  get mids(): string[] {
    return this.sections.map((section) => section.mid);
  }

  getSdp(): string {
    // Each rendering is a new version of the same session (RFC 3264 section 8).
    this.session.origin.sessionVersion += 1;
    return writeSdp(this.session);
  }

  private transport() {
    return {
      ...(this.iceParameters ? { iceParameters: this.iceParameters } : {}),
      ...(this.iceCandidates ? { iceCandidates: this.iceCandidates } : {}),
      ...(this.dtlsParameters ? { dtlsParameters: this.dtlsParameters } : {}),
    };
  }

  private section(mid: string): MediaSection {
    const idx = this.indexByMid.get(mid);
    const section = idx === undefined ? undefined : this.sections[idx];
    if (!section) throw new Error(`no remote m-section with mid "${mid}"`);
    return section;
  }

  private addSection(section: MediaSection): void {
    this.firstMid ??= section.mid;
    this.push(section);
    this.regenerateBundleMids();
  }

  private push(section: MediaSection): void {
    this.indexByMid.set(section.mid, this.sections.push(section) - 1);
    this.session.media.push(section.getObject());
  }

  /** Puts `section` where the section of `mid` was. */
  private replaceSection(section: MediaSection, mid: string): void {
    const idx = this.indexByMid.get(mid) as number;
    this.sections[idx] = section;
    this.session.media[idx] = section.getObject();
    this.indexByMid.delete(mid);
    this.indexByMid.set(section.mid, idx);
    this.regenerateBundleMids();
  }

  private regenerateBundleMids(): void {
    const group = this.session.groups?.[0];
    if (!group) return;
    group.mids = this.sections
      .filter((section) => !section.closed)
      .map((section) => section.mid)
      .join(' ');
  }
}
