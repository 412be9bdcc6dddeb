/** Spatial and temporal layer counts of an SVC/simulcast scalability mode. */
export type ScalabilityMode = {
  spatialLayers: number;
  temporalLayers: number;
};

// `L<spatial>T<temporal>` (SVC) or `S<spatial>T<temporal>` (simulcast-like),
// optionally followed by a suffix such as `_KEY` or `h`.
const SCALABILITY_MODE = /^[LS]([1-9]\d?)T([1-9]\d?)/;

/** Parses e.g. `L3T3_KEY`; anything unparsable means one spatial and one temporal layer. */
export function parse(scalabilityMode?: string): ScalabilityMode {
  const match = SCALABILITY_MODE.exec(scalabilityMode ?? '');
  if (!match) return { spatialLayers: 1, temporalLayers: 1 };
  return { spatialLayers: Number(match[1]), temporalLayers: Number(match[2]) };
}
