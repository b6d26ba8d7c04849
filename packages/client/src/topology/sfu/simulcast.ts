/**
 * Simulcast as Ponte uses it through an SFU: what we send (three layers of our video) and
 * which layer we ask for of each video we receive (from the size of the tile it is shown in).
 * @module
 */

/** A simulcast layer: 0 the lowest (a quarter of the size), 2 the highest (full size). */
export type SimulcastLayer = 0 | 1 | 2;

/** How we send our video through an SFU: three encodings, low to high. */
export interface SimulcastOptions {
  /** Most bits per second of each layer, low to high. Default 150, 500 and 1,500 kbit/s. */
  maxBitrates: readonly [number, number, number];
}

/** The defaults of {@link SimulcastOptions}. */
export const SIMULCAST_DEFAULTS: SimulcastOptions = Object.freeze({
  maxBitrates: Object.freeze([150_000, 500_000, 1_500_000]) as [number, number, number],
});

/** The rid of each layer, low to high: quarter, half, full. */
export const SIMULCAST_RIDS = ['q', 'h', 'f'] as const;

/**
 * The `sendEncodings` of our video transceiver: rids `q`/`h`/`f`, scaled down by 4, 2 and 1,
 * each with its bitrate cap. The SFU forwards one of them to each receiver.
 */
export function simulcastEncodings(options: SimulcastOptions = SIMULCAST_DEFAULTS): RTCRtpEncodingParameters[] {
  return SIMULCAST_RIDS.map((rid, index) => ({
    rid,
    active: true,
    scaleResolutionDownBy: 2 ** (2 - index),
    maxBitrate: options.maxBitrates[index] ?? SIMULCAST_DEFAULTS.maxBitrates[index],
  }));
}

/** The size a remote video is shown at, in CSS pixels (0 by 0, or null: not shown). */
export interface TileSize {
  width: number;
  height: number;
}

/**
 * The layer a tile of `tile` size needs, with a sender whose full layer is about 1280x720:
 * the quarter layer (320x180) up to 360 px wide, the half layer (640x360) up to 720 px, else
 * the full layer. `devicePixelRatio` scales the tile to device pixels.
 */
export function layerForTile(tile: TileSize, devicePixelRatio = 1): SimulcastLayer {
  const width = Math.max(tile.width, (tile.height * 16) / 9) * devicePixelRatio;
  if (width <= 360) return 0;
  if (width <= 720) return 1;
  return 2;
}
