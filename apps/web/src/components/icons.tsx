/** Small line icons (24×24, currentColor). Decorative: the control around them carries the name. */
import type { ReactElement } from 'react';

function Icon({ children }: { children: ReactElement | ReactElement[] }): ReactElement {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

/** A microphone; crossed out when `off`. */
export function MicrophoneIcon({ off = false }: { off?: boolean }): ReactElement {
  return (
    <Icon>
      <rect x="9" y="3" width="6" height="11" rx="3" />
      <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
      {off ? <path className="icon-slash" d="M4 4l16 16" /> : <g />}
    </Icon>
  );
}

/** A video camera; crossed out when `off`. */
export function CameraIcon({ off = false }: { off?: boolean }): ReactElement {
  return (
    <Icon>
      <rect x="3" y="7" width="12" height="10" rx="2" />
      <path d="M15 10.5l6-3.5v10l-6-3.5" />
      {off ? <path className="icon-slash" d="M4 4l16 16" /> : <g />}
    </Icon>
  );
}

/** A monitor with an arrow: screen sharing. */
export function ScreenIcon(): ReactElement {
  return (
    <Icon>
      <rect x="3" y="4" width="18" height="13" rx="2" />
      <path d="M8 21h8M12 17v4M12 14V8M9 11l3-3 3 3" />
    </Icon>
  );
}

/** Two chain links: the invite link. */
export function LinkIcon(): ReactElement {
  return (
    <Icon>
      <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
      <path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
    </Icon>
  );
}

/** A handset tilted down: leaving the call. */
export function LeaveIcon(): ReactElement {
  return (
    <Icon>
      <path d="M3 14c5-5 13-5 18 0l-2.5 2.5-3.5-1.5v-3a11 11 0 0 0-6 0v3l-3.5 1.5z" />
    </Icon>
  );
}

/** A speech bubble: the chat. */
export function ChatIcon(): ReactElement {
  return (
    <Icon>
      <path d="M4 5h16v11H9l-5 4z" />
      <path d="M8 9h8M8 12h5" />
    </Icon>
  );
}
