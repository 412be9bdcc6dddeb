/**
 * The spatial layer that fits a video shown `renderedHeight` device pixels
 * high: the smallest layer at least 90 % of that (a slightly smaller layer
 * scaled up looks the same), else the top one. Layers are taken to halve
 * in height from the top down (`CAMERA_SIMULCAST_ENCODINGS`: 1/4, 1/2, 1;
 * L3 SVC modes scale the same way).
 */
export function layerForSize(options: {
  renderedHeight: number;
  layerCount: number;
  /** Height of the top layer, in pixels. */
  topHeight: number;
}): number {
  const { renderedHeight, layerCount, topHeight } = options;
  const top = Math.max(0, Math.floor(layerCount) - 1);
  if (!(renderedHeight > 0) || !(topHeight > 0)) return top;
  for (let layer = 0; layer < top; layer++) {
    const height = topHeight / 2 ** (top - layer);
    if (height >= renderedHeight * 0.9) return layer;
  }
  return top;
}

/**
 * The top layer's height, inferred from what is received now: a frame of
 * `videoHeight` on spatial layer `current` of `layerCount`. Undefined when
 * nothing is decoded yet.
 */
export function topLayerHeight(
  videoHeight: number,
  current: number | null,
  layerCount: number,
): number | undefined {
  if (!(videoHeight > 0) || current === null) return undefined;
  return videoHeight * 2 ** Math.max(0, layerCount - 1 - current);
}
