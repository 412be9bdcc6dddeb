// "Done means": in the same browser, against the same real router, our
// producers report the rtpParameters mediasoup-client 3.24.1 reports for the
// same tracks and options. Only what is random or positional per session is
// normalised away: SSRC values, the CNAME, mid numbers and msid ids.
import { expect } from '@playwright/test';
import type { ParityCase, ParityResult } from './api.js';
import type { LoopbackDriver } from './driver.js';
import { SIMULCAST_ENCODINGS } from './mediaScenario.js';

export interface ParityOptions {
  room: string;
  /** Video codecs the browser sends (H264 is absent from Firefox without OpenH264). */
  videoCodecs: string[];
  svc: string | false;
}

export function parityCases(options: ParityOptions): ParityCase[] {
  const has = (mime: string) =>
    options.videoCodecs.some((c) => c.toLowerCase() === mime.toLowerCase());
  const cases: ParityCase[] = [
    { label: 'audio', kind: 'audio' },
    {
      label: 'audio+codecOptions',
      kind: 'audio',
      codecOptions: {
        opusStereo: true,
        opusFec: true,
        opusDtx: true,
        opusMaxPlaybackRate: 48000,
        opusPtime: 20,
      },
      encodings: [{ dtx: true }],
    },
    { label: 'video', kind: 'video' },
    { label: 'video+codecOptions', kind: 'video', codecOptions: { videoGoogleStartBitrate: 1000 } },
    { label: 'simulcast', kind: 'video', encodings: SIMULCAST_ENCODINGS },
    {
      label: 'simulcast+rids',
      kind: 'video',
      encodings: [
        { rid: 'low', scaleResolutionDownBy: 2, maxBitrate: 200_000 },
        { rid: 'high', maxBitrate: 800_000 },
      ],
    },
  ];
  if (has('video/VP9'))
    cases.push({ label: 'video codec=VP9', kind: 'video', codecMimeType: 'video/VP9' });
  if (has('video/H264')) {
    cases.push({
      label: 'simulcast codec=H264',
      kind: 'video',
      codecMimeType: 'video/H264',
      encodings: SIMULCAST_ENCODINGS,
    });
  }
  if (options.svc) {
    cases.push({
      label: 'svc codec=VP9',
      kind: 'video',
      codecMimeType: 'video/VP9',
      encodings: [{ scalabilityMode: options.svc }],
    });
  }
  return cases;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Replaces per-session values by placeholders that keep their shape: an SSRC
 * becomes `ssrc#n` by first appearance (so "rtx.ssrc differs from ssrc" and
 * "the same SSRC twice" still compare), the CNAME and msid become fixed words,
 * and mid is kept only as present or absent.
 */
export function normaliseRtpParameters(parameters: unknown): Json {
  const ssrcs = new Map<number, string>();
  const walk = (value: unknown, key: string | undefined): Json => {
    if (Array.isArray(value)) return value.map((item) => walk(item, undefined));
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: Json } = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        out[k] = walk(v, k);
      }
      return out;
    }
    if (key === 'ssrc' && typeof value === 'number') {
      if (!ssrcs.has(value)) ssrcs.set(value, `ssrc#${ssrcs.size}`);
      return ssrcs.get(value)!;
    }
    if (key === 'cname' && typeof value === 'string') return value ? '<cname>' : '';
    if (key === 'mid' && typeof value === 'string') return '<mid>';
    if (key === 'msid' && typeof value === 'string')
      return value.split(' ').length === 2 ? '<stream> <track>' : value;
    return value as Json;
  };
  return walk(parameters, undefined);
}

export async function runParity(driver: LoopbackDriver, options: ParityOptions): Promise<void> {
  const cases = parityCases(options);
  const ours: ParityResult = await driver.call('parity', 'vroom', options.room, cases);
  const theirs: ParityResult = await driver.call('parity', 'mediasoup-client', options.room, cases);
  expect(ours.handlerName).toBe(theirs.handlerName);
  expect(ours.producers.map((p) => p.label)).toEqual(cases.map((c) => c.label));
  expect(theirs.producers.map((p) => p.label)).toEqual(cases.map((c) => c.label));
  const differences = ours.producers.flatMap((mine, i) =>
    differencesBetween(
      normaliseRtpParameters(mine.rtpParameters),
      normaliseRtpParameters(theirs.producers[i]!.rtpParameters),
      mine.label,
    ),
  );
  // Every difference of every case at once, each named by case and path.
  expect(differences, `${ours.handlerName}: vroom vs mediasoup-client`).toEqual([]);
}

/** `label: path: ours=… theirs=…` for each leaf where the two differ. */
export function differencesBetween(ours: Json, theirs: Json, path: string): string[] {
  const isObject = (v: Json): v is { [key: string]: Json } | Json[] =>
    v !== null && typeof v === 'object';
  if (isObject(ours) && isObject(theirs) && Array.isArray(ours) === Array.isArray(theirs)) {
    const keys = new Set([...Object.keys(ours), ...Object.keys(theirs)]);
    return [...keys].flatMap((key) =>
      differencesBetween(
        (ours as Record<string, Json>)[key] ?? null,
        (theirs as Record<string, Json>)[key] ?? null,
        `${path}.${key}`,
      ),
    );
  }
  return JSON.stringify(ours) === JSON.stringify(theirs)
    ? []
    : [`${path}: ours=${JSON.stringify(ours)} theirs=${JSON.stringify(theirs)}`];
}
