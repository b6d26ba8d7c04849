/**
 * The SFU `main.ts` gives the server: none, or with `PONTE_JANUS_URL` the bridge of the
 * `@ponte/janus` plug-in, loaded (like `@ponte/redis`) by a dynamic import the compiler does
 * not follow, only when it is configured; the server core holds no Janus code.
 * @packageDocumentation
 */
import type { SfuConfig } from './config/config.js';
import type { SfuBridge } from './media/SfuBridge.js';
import { importModule, reasonOf, redactUrl, type ModuleLoader } from './openRoomAdapter.js';

/** The package that bridges to Janus. */
export const JANUS_PLUGIN = '@ponte/janus';

/** What this server uses of {@link JANUS_PLUGIN}. */
export interface JanusSfuModule {
  /** Connects to Janus; rejects, within its request timeout, with an Error saying why it could not. */
  connectJanusSfu(options: { url: string; apiSecret?: string; adminKey?: string; roomSecret: string; nodeId: string }): Promise<SfuBridge>;
}

/** The SFU could not be opened; the message is one line, with no secret in it. */
export class SfuBackendError extends Error {
  override readonly name = 'SfuBackendError';
}

function isJanusSfuModule(value: unknown): value is JanusSfuModule {
  return typeof value === 'object' && value !== null && typeof (value as Partial<JanusSfuModule>).connectJanusSfu === 'function';
}

/**
 * Opens the SFU `sfu` describes: undefined without `janusUrl`, else the bridge of
 * {@link JANUS_PLUGIN}, whose rooms' secrets are derived from `secret`. Rejects with a
 * {@link SfuBackendError} when the plug-in cannot be loaded or Janus cannot be reached.
 */
export async function openSfuBridge(
  sfu: SfuConfig,
  secret: string,
  nodeId: string,
  load: ModuleLoader = importModule,
): Promise<SfuBridge | undefined> {
  const { janusUrl, apiSecret, adminKey } = sfu;
  if (janusUrl === undefined) return undefined;
  const shown = redactUrl(janusUrl);
  let plugin: unknown;
  try {
    plugin = await load(JANUS_PLUGIN);
  } catch (error) {
    throw new SfuBackendError(
      `PONTE_JANUS_URL is set, but ${JANUS_PLUGIN} could not be loaded (install it beside @ponte/server): ${reasonOf(error, janusUrl, shown)}`,
    );
  }
  if (!isJanusSfuModule(plugin)) throw new SfuBackendError(`PONTE_JANUS_URL is set, but ${JANUS_PLUGIN} has no connectJanusSfu function`);
  try {
    return await plugin.connectJanusSfu({
      url: janusUrl,
      roomSecret: secret,
      nodeId,
      ...(apiSecret === undefined ? {} : { apiSecret }),
      ...(adminKey === undefined ? {} : { adminKey }),
    });
  } catch (error) {
    throw new SfuBackendError(`cannot reach Janus at ${shown}: ${reasonOf(error, janusUrl, shown)}`);
  }
}
