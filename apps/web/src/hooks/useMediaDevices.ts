/** The cameras and microphones the browser reports, kept current on `devicechange`. */
import { useEffect, useState } from 'react';

/** Input devices by kind. */
export interface InputDevices {
  readonly audioinput: readonly MediaDeviceInfo[];
  readonly videoinput: readonly MediaDeviceInfo[];
}

const NONE: InputDevices = { audioinput: [], videoinput: [] };

/**
 * Lists input devices. Call with `enabled` once media permission has been asked for:
 * before that, browsers hide device labels.
 */
export function useMediaDevices(enabled: boolean): InputDevices {
  const [devices, setDevices] = useState<InputDevices>(NONE);

  useEffect(() => {
    const mediaDevices = navigator.mediaDevices as MediaDevices | undefined;
    if (!enabled || !mediaDevices?.enumerateDevices) return undefined;
    let active = true;
    const load = async (): Promise<void> => {
      try {
        const all = await mediaDevices.enumerateDevices();
        if (!active) return;
        setDevices({
          audioinput: all.filter((device) => device.kind === 'audioinput' && device.deviceId !== ''),
          videoinput: all.filter((device) => device.kind === 'videoinput' && device.deviceId !== ''),
        });
      } catch {
        // Listing devices is a convenience; the call works without the pickers.
      }
    };
    const reload = (): void => void load();
    reload();
    mediaDevices.addEventListener('devicechange', reload);
    return () => {
      active = false;
      mediaDevices.removeEventListener('devicechange', reload);
    };
  }, [enabled]);

  return devices;
}
