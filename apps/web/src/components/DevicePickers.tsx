/** Select elements for the microphone and camera in use. */
import { useId, type ReactElement } from 'react';
import type { InputDevices } from '../hooks/useMediaDevices.js';

/** The device kinds a picker can switch. */
export type InputKind = 'audioinput' | 'videoinput';

/** Props of {@link DevicePickers}. */
export interface DevicePickersProps {
  readonly devices: InputDevices;
  /** The stream we send, to show which device each track comes from. */
  readonly stream: MediaStream | null;
  readonly onSelect: (kind: InputKind, deviceId: string) => void;
}

function currentDeviceId(stream: MediaStream | null, kind: InputKind): string {
  const tracks = kind === 'audioinput' ? stream?.getAudioTracks() : stream?.getVideoTracks();
  return tracks?.[0]?.getSettings().deviceId ?? '';
}

interface PickerProps {
  readonly label: string;
  readonly kind: InputKind;
  readonly options: readonly MediaDeviceInfo[];
  readonly value: string;
  readonly onSelect: (kind: InputKind, deviceId: string) => void;
}

function Picker({ label, kind, options, value, onSelect }: PickerProps): ReactElement {
  const id = useId();
  const known = options.some((device) => device.deviceId === value);
  return (
    <div className="device-picker">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={known ? value : ''} disabled={options.length === 0} onChange={(event) => onSelect(kind, event.currentTarget.value)}>
        {known ? null : <option value="">{options.length === 0 ? 'None found' : 'Choose…'}</option>}
        {options.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || `${kind === 'audioinput' ? 'Microphone' : 'Camera'} ${index + 1}`}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Pickers labelled "Microphone device" and "Camera device". */
export function DevicePickers({ devices, stream, onSelect }: DevicePickersProps): ReactElement {
  return (
    <div className="device-pickers">
      <Picker
        label="Microphone device"
        kind="audioinput"
        options={devices.audioinput}
        value={currentDeviceId(stream, 'audioinput')}
        onSelect={onSelect}
      />
      <Picker
        label="Camera device"
        kind="videoinput"
        options={devices.videoinput}
        value={currentDeviceId(stream, 'videoinput')}
        onSelect={onSelect}
      />
    </div>
  );
}
