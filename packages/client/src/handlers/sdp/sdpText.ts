// SDP text <-> objects, for the lines the handlers read or change in local
// SDP and no more: m= lines and some attributes. The objects have the shape
// (field names, numbers for integer-looking values) that `sdp-transform`
// gives, which the tests use as the oracle. A line this grammar does not
// know, or knows but cannot read in full, is kept as raw text in `other` and
// written back unchanged, so parse -> write never loses what the browser
// said: the session header (v=, o=, s=, t=) and c= / b= lines always are,
// and keep their order. Known attributes are written in a fixed order and raw
// `a=` lines after them (browsers accept any attribute order). RemoteSdp
// writes the lines it needs and the handlers never read as text.

/** One line type: [line letter or attribute name, object key, reg, field names, format]. */
type Rule = [
  /** `v`, `o`... or, for `a=` lines, the attribute name (`rtpmap`...). */
  line: string,
  /** The key in the object; a `+` prefix makes it an array of one entry a line. */
  key: string,
  /** Matches the whole value. */
  reg: RegExp,
  /** Field names of the capture groups; empty: the key holds the single capture. */
  names: string[],
  /** `%s` is the next field, `[...%s...]` is written only when that field is set. */
  format: string,
];

/** A value-less attribute (`a=rtcp-mux`): the key holds the attribute itself. */
const flag = (name: string, key: string): Rule => ['', key, new RegExp(`^(${name})$`), [], '%s'];

const MEDIA_LINE: Rule = [
  'm',
  '',
  /^(\w*) (\d*) ([\w/]*)(?: (.*))?$/,
  ['type', 'port', 'protocol', 'payloads'],
  '%s %s %s[ %s]',
];

// The order sdp-transform writes them in, so outputs look familiar.
const ATTRIBUTE_RULES: Rule[] = [
  [
    'rtpmap',
    '+rtp',
    /^(\d*) ([\w\-.]*)(?:\/(\d*)(?:\/(\S*))?)?$/,
    ['payload', 'codec', 'rate', 'encoding'],
    '%s %s[/%s][/%s]',
  ],
  ['fmtp', '+fmtp', /^(\d*) (.*)$/, ['payload', 'config'], '%s %s'],
  [
    'rtcp-fb',
    '+rtcpFb',
    /^(\*|\d*) (?!trr-int )([\w-]*)(?: ([\w-]*))?$/,
    ['payload', 'type', 'subtype'],
    '%s %s[ %s]',
  ],
  [
    'extmap',
    '+ext',
    /^(\d+)(?:\/(\w+))?(?: (urn:ietf:params:rtp-hdrext:encrypt))? (\S*)(?: (\S*))?$/,
    ['value', 'direction', 'encrypt-uri', 'uri', 'config'],
    '%s[/%s][ %s] %s[ %s]',
  ],
  flag('extmap-allow-mixed', 'extmapAllowMixed'),
  ['setup', 'setup', /^(\w*)$/, [], '%s'],
  ['mid', 'mid', /^(\S*)$/, [], '%s'],
  flag('sendrecv|recvonly|sendonly|inactive', 'direction'),
  ['fingerprint', 'fingerprint', /^(\S*) (\S*)$/, ['type', 'hash'], '%s %s'],
  ['ssrc', '+ssrcs', /^(\d*) ([\w-]*)(?::(.*))?$/, ['id', 'attribute', 'value'], '%s %s[:%s]'],
  ['ssrc-group', '+ssrcGroups', /^([\w!#$%&'*+.-]*) (.*)$/, ['semantics', 'ssrcs'], '%s %s'],
  flag('rtcp-rsize', 'rtcpRsize'),
  [
    'sctpmap',
    'sctpmap',
    /^([\w/]*) (\S*)(?: (\S*))?$/,
    ['sctpmapNumber', 'app', 'maxMessageSize'],
    '%s %s[ %s]',
  ],
  ['rid', '+rids', /^([\d\w]+) (\w+)(?: (.*))?$/, ['id', 'direction', 'params'], '%s %s[ %s]'],
  [
    'simulcast',
    'simulcast',
    /^(send|recv) ([\w~;,-]+)(?: ?(send|recv) ([\w~;,-]+))?$/,
    ['dir1', 'list1', 'dir2', 'list2'],
    '%s %s[ %s][ %s]',
  ],
  ['simulcast', 'simulcast_03', /^\s+(.+)$/, ['value'], ' %s'],
  ['sctp-port', 'sctpPort', /^(\d+)$/, [], '%s'],
  ['max-message-size', 'maxMessageSize', /^(\d+)$/, [], '%s'],
];

/** What sdp-transform does to every captured value: integers become numbers. */
const toIntIfInt = (value: string): string | number =>
  String(Number(value)) === value ? Number(value) : value;

type Target = Record<string, unknown> & { other?: string[] };

/** Reads one line into `target` by the first rule that matches it all; else keeps it raw. */
function read(target: Target, rules: Rule[], line: string, name: string, value: string): void {
  for (const [ruleLine, key, reg, names] of rules) {
    const match = ruleLine === name ? reg.exec(value) : undefined;
    if (!match) continue;
    const fields: Record<string, unknown> = {};
    names.forEach((field, i) => {
      const captured = match[i + 1];
      if (captured !== undefined) fields[field] = toIntIfInt(captured);
    });
    const parsed = names.length > 0 ? fields : toIntIfInt(match[1] as string);
    if (!key) Object.assign(target, parsed);
    else if (key[0] === '+') push(target, key.slice(1), parsed);
    else target[key] = parsed;
    return;
  }
  push(target, 'other', line);
}

function push(target: Target, key: string, value: unknown): void {
  const list = (target[key] as unknown[] | undefined) ?? [];
  target[key] = list;
  list.push(value);
}

/**
 * Parses SDP text. Never throws: a line it cannot read is kept raw in
 * `other`, and a text without a `v=` line gives no media and an `error`.
 */
export function parseSdp(text: string): SessionDescription {
  const session = { media: [] } as unknown as SessionDescription;
  if (typeof text !== 'string' || !/^v=/m.test(text)) {
    session.error = 'not an SDP: no "v=" line';
    return session;
  }
  let target = session as unknown as Target;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const type = line[0] as string;
    const value = line.slice(2);
    if (line[1] !== '=') continue;
    if (type === 'm') {
      target = { rtp: [], fmtp: [] };
      session.media.push(target as unknown as MediaDescription);
      read(target, [MEDIA_LINE], line, type, value);
    } else if (type === 'a') {
      const colon = value.indexOf(':');
      // `a=name:value` by name; a value-less `a=flag` by the flag rules (name '').
      if (colon < 0) read(target, ATTRIBUTE_RULES, line, '', value);
      else read(target, ATTRIBUTE_RULES, line, value.slice(0, colon), value.slice(colon + 1));
    } else {
      // v=, o=, s=, c=, t=, b=...: nothing the handlers read.
      push(target, 'other', line);
    }
  }
  return session;
}

/** The lines of the rules whose keys `source` has, in rule order. */
function write(source: Target, rules: Rule[]): string[] {
  const lines: string[] = [];
  for (const [line, key, , names, format] of rules) {
    const list = key[0] === '+';
    const value = key ? source[list ? key.slice(1) : key] : source;
    if (value === undefined) continue;
    for (const item of list ? (value as unknown[]) : [value]) {
      let next = 0;
      const text = format.replace(/\[([^\]]*)\]|%s/g, (_, optional: string | undefined) => {
        const field = names.length > 0 ? (item as Target)[names[next++] as string] : item;
        if (optional === undefined) return String(field);
        return field === undefined ? '' : optional.replace('%s', String(field));
      });
      lines.push(line.length === 1 ? `${line}=${text}` : line ? `a=${line}:${text}` : `a=${text}`);
    }
  }
  return lines;
}

/** Raw lines kept by parseSdp: the `a=` ones go last, the others (`v=`, `o=`, `c=`, `b=`...) first, in order. */
const raw = (target: Target, attributes: boolean): string[] =>
  (target.other ?? []).filter((line) => line.startsWith('a=') === attributes);

/** Writes SDP text (CRLF line ends). */
export function writeSdp(session: SessionDescription): string {
  const root = session as unknown as Target;
  const lines = [...raw(root, false), ...write(root, ATTRIBUTE_RULES), ...raw(root, true)];
  for (const media of session.media) {
    const target = media as unknown as Target;
    lines.push(
      ...write(target, [MEDIA_LINE]),
      ...raw(target, false),
      ...write(target, ATTRIBUTE_RULES),
      ...raw(target, true),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * An fmtp config as parameters ("a=1;b=x" -> { a: 1, b: 'x' }), numbers for
 * integer-looking values like sdp-transform's parseParams. Valueless
 * entries are skipped. H264's profile-level-id is hex: it stays the raw
 * text even when all digits ("420032"), leading zeros included.
 */
export function parseCodecParameters(config: string): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const entry of config.split(/;\s?/)) {
    const [key = '', value] = entry.split(/=(.+)/);
    if (value !== undefined) {
      parameters[key] = key === 'profile-level-id' ? value : toIntIfInt(value);
    }
  }
  return parameters;
}

type Lines = { other?: string[] };

/** Session and media-level attributes both may carry. */
type SharedAttributes = Lines & {
  direction?: 'sendrecv' | 'recvonly' | 'sendonly' | 'inactive';
  ext?: {
    value: number;
    direction?: string;
    'encrypt-uri'?: string;
    uri: string;
    config?: string;
  }[];
  extmapAllowMixed?: 'extmap-allow-mixed';
  setup?: string;
  fingerprint?: { type: string; hash: string };
};

/** One m-section, as parseSdp reads it and writeSdp writes it. */
export type MediaDescription = SharedAttributes & {
  type: string;
  port: number;
  protocol: string;
  payloads?: string;
  mid?: string;
  rtp: { payload: number; codec: string; rate?: number; encoding?: number }[];
  fmtp: { payload: number; config: string }[];
  rtcpFb?: { payload: number | string; type: string; subtype?: string }[];
  ssrcs?: { id: number | string; attribute: string; value?: string }[];
  ssrcGroups?: { semantics: string; ssrcs: string }[];
  rtcpRsize?: 'rtcp-rsize';
  sctpmap?: { sctpmapNumber: number; app: string; maxMessageSize?: number };
  rids?: { id: number | string; direction: string; params?: string }[];
  simulcast?: { dir1: string; list1: string; dir2?: string; list2?: string };
  simulcast_03?: { value: string };
  sctpPort?: number;
  maxMessageSize?: number;
};

/** A whole description, as parseSdp reads it and writeSdp writes it. */
export type SessionDescription = SharedAttributes & {
  media: MediaDescription[];
  /** Set by parseSdp when the text is not an SDP at all. */
  error?: string;
};
