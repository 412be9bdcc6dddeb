/**
 * A stand-in RTCPeerConnection for unit tests in Node: it replays SDP that a
 * real browser produced (captured by scripts/capture-sdp.ts) and records
 * what the handler does with it. It is NOT WebRTC: it checks nothing about
 * the remote SDP beyond parsing it. The proof that browsers accept our SDP is
 * the capture run itself (each fixture records the browser's verdict) and
 * the real-browser / real-worker tests.
 */
import * as sdpTransform from 'sdp-transform';

type Sdp = { type: RTCSdpType; sdp?: string };

class ReplaySender {
  track: MediaStreamTrack | null;
  private encodings: RTCRtpEncodingParameters[];
  constructor(track: MediaStreamTrack | null, encodings: RTCRtpEncodingParameters[]) {
    this.track = track;
    this.encodings = encodings;
  }
  getParameters(): RTCRtpSendParameters {
    return { encodings: this.encodings.map((e) => ({ ...e })) } as RTCRtpSendParameters;
  }
  async setParameters(parameters: RTCRtpSendParameters): Promise<void> {
    this.encodings = parameters.encodings;
  }
  async replaceTrack(track: MediaStreamTrack | null): Promise<void> {
    this.track = track;
  }
  async getStats(): Promise<RTCStatsReport> {
    return new Map() as unknown as RTCStatsReport;
  }
}

export class ReplayTransceiver {
  mid: string | null = null;
  direction: RTCRtpTransceiverDirection;
  stopped = false;
  readonly sender: ReplaySender;
  readonly receiver: { track: { id: string; kind: string }; getStats: () => Promise<unknown> };
  codecPreferences: unknown[] | undefined;
  constructor(kind: string, direction: RTCRtpTransceiverDirection, sender: ReplaySender) {
    this.direction = direction;
    this.sender = sender;
    this.receiver = { track: { id: `recv-${kind}`, kind }, getStats: async () => new Map() };
  }
  stop(): void {
    this.stopped = true;
  }
  setCodecPreferences(codecs: unknown[]): void {
    this.codecPreferences = codecs;
  }
}

export type ReplayScript = {
  /** Offers returned by successive createOffer() calls (the last one repeats). */
  offers?: string[];
  /** Answers returned by successive createAnswer() calls (the last one repeats). */
  answers?: string[];
  /**
   * Plays the browser refusing a remote description: returns the error
   * message to throw, or undefined to accept it.
   */
  refuseRemote?: (sdp: string) => string | undefined;
};

export class ReplayPeerConnection extends EventTarget {
  /** Every description the handler applied, in order. */
  readonly log: Array<{ side: 'local' | 'remote'; type: RTCSdpType; sdp: string }> = [];
  readonly transceivers: ReplayTransceiver[] = [];
  readonly dataChannels: Array<{ label: string; init: RTCDataChannelInit }> = [];
  connectionState: RTCPeerConnectionState = 'new';
  iceGatheringState: RTCIceGatheringState = 'new';
  signalingState: RTCSignalingState = 'stable';
  localDescription: Sdp | null = null;
  sctp = { maxMessageSize: 262144, maxChannels: 65535 };
  readonly configuration: RTCConfiguration;
  private readonly script: ReplayScript;
  private offerCount = 0;
  private answerCount = 0;

  constructor(configuration: RTCConfiguration, script: ReplayScript) {
    super();
    this.configuration = configuration;
    this.script = script;
  }

  addTransceiver(
    trackOrKind: MediaStreamTrack | string,
    init: RTCRtpTransceiverInit = {},
  ): ReplayTransceiver {
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    const transceiver = new ReplayTransceiver(
      kind,
      init.direction ?? 'sendrecv',
      new ReplaySender(track, init.sendEncodings ?? [{}]),
    );
    this.transceivers.push(transceiver);
    return transceiver;
  }

  getTransceivers(): ReplayTransceiver[] {
    return this.transceivers.filter((t) => !t.stopped);
  }

  removeTrack(sender: ReplaySender): void {
    sender.track = null;
  }

  createDataChannel(
    label: string,
    init: RTCDataChannelInit,
  ): { label: string; id: number | undefined } {
    this.dataChannels.push({ label, init });
    return { label, id: init.id };
  }

  async createOffer(): Promise<Sdp> {
    const offers = this.script.offers ?? [];
    const sdp = offers[Math.min(this.offerCount++, offers.length - 1)];
    if (!sdp) throw new Error('ReplayPeerConnection: no offer scripted');
    return { type: 'offer', sdp };
  }

  async createAnswer(): Promise<Sdp> {
    const answers = this.script.answers ?? [];
    const sdp = answers[Math.min(this.answerCount++, answers.length - 1)];
    if (!sdp) throw new Error('ReplayPeerConnection: no answer scripted');
    return { type: 'answer', sdp };
  }

  async setLocalDescription(description: Sdp): Promise<void> {
    if (description.type === 'rollback') {
      this.signalingState = 'stable';
      return;
    }
    this.log.push({ side: 'local', type: description.type, sdp: description.sdp ?? '' });
    this.localDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-local-offer' : 'stable';
    // Local offers: the i-th media m-section belongs to the i-th transceiver.
    if (description.type === 'offer') this.assignMids(description.sdp ?? '', false);
  }

  async setRemoteDescription(description: Sdp): Promise<void> {
    if (description.type === 'rollback') {
      this.signalingState = 'stable';
      return;
    }
    const refusal = this.script.refuseRemote?.(description.sdp ?? '');
    if (refusal) throw new Error(refusal); // a refused description changes nothing
    sdpTransform.parse(description.sdp ?? '');
    this.log.push({ side: 'remote', type: description.type, sdp: description.sdp ?? '' });
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    // Remote offers create receiving transceivers for new mids.
    if (description.type === 'offer') this.assignMids(description.sdp ?? '', true);
  }

  getConfiguration(): RTCConfiguration {
    return this.configuration;
  }

  setConfiguration(configuration: RTCConfiguration): void {
    Object.assign(this.configuration, configuration);
  }

  async getStats(): Promise<RTCStatsReport> {
    return new Map() as unknown as RTCStatsReport;
  }

  close(): void {
    this.connectionState = 'closed';
  }

  private assignMids(sdp: string, remote: boolean): void {
    const media = sdpTransform.parse(sdp).media.filter((m) => m.type !== 'application');
    const known = new Set(this.transceivers.map((t) => t.mid));
    // Port 0 means rejected, unless the section is bundle-only (Firefox's later sections).
    const live = (m: (typeof media)[number]) => m.port !== 0 || m.bundleOnly !== undefined;
    const fresh = media.filter((m) => !known.has(String(m.mid)) && live(m));
    for (const m of fresh) {
      let transceiver = this.transceivers.find((t) => t.mid === null);
      if (!transceiver && remote)
        transceiver = this.addTransceiver(m.type, { direction: 'recvonly' });
      if (transceiver) transceiver.mid = String(m.mid);
    }
  }
}

/**
 * What `RTCRtpSender.getCapabilities(kind)` answers in the browser that made
 * `sdp` (a captured capabilities offer): one codec per rtpmap line, in order.
 */
export function codecCapabilitiesFromSdp(
  sdp: string,
): Pick<typeof RTCRtpSender, 'getCapabilities'> {
  const parsed = sdpTransform.parse(sdp);
  return {
    getCapabilities(kind: string): RTCRtpCapabilities | null {
      const media = parsed.media.find((m) => m.type === kind);
      if (!media) return null;
      const codecs = media.rtp.map((rtp) => {
        const fmtp = media.fmtp.find((f) => f.payload === rtp.payload)?.config;
        return {
          mimeType: `${kind}/${rtp.codec}`,
          clockRate: rtp.rate ?? 90000,
          ...(rtp.encoding ? { channels: Number(rtp.encoding) } : {}),
          ...(fmtp ? { sdpFmtpLine: fmtp } : {}),
        };
      });
      return { codecs, headerExtensions: [] };
    },
  };
}

/** A MediaStreamTrack stand-in (only id and kind are read). */
export function fakeTrack(kind: 'audio' | 'video', id = `${kind}-track`): MediaStreamTrack {
  return { id, kind } as MediaStreamTrack;
}

/** A MediaStream stand-in; records react-native-webrtc's release() calls. */
export class ReplayMediaStream {
  /** Every stream made, so a test can find the one its handler holds. */
  static readonly instances: ReplayMediaStream[] = [];
  readonly id = 'vroom-send-stream';
  readonly releases: boolean[] = [];
  constructor() {
    ReplayMediaStream.instances.push(this);
  }
  release(releaseTracks: boolean): void {
    this.releases.push(releaseTracks);
  }
}
