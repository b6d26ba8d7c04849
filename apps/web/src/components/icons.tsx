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

/** A speaker with sound waves: someone speaks. */
export function SpeakingIcon(): ReactElement {
  return (
    <Icon>
      <path d="M4 9h4l5-4v14l-5-4H4z" />
      <path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" />
    </Icon>
  );
}

/** Four tiles: the grid layout. */
export function GridIcon(): ReactElement {
  return (
    <Icon>
      <rect x="3" y="3" width="8" height="8" rx="1.5" />
      <rect x="13" y="3" width="8" height="8" rx="1.5" />
      <rect x="3" y="13" width="8" height="8" rx="1.5" />
      <rect x="13" y="13" width="8" height="8" rx="1.5" />
    </Icon>
  );
}

/** One large tile above three small ones: the speaker layout. */
export function SpeakerLayoutIcon(): ReactElement {
  return (
    <Icon>
      <rect x="3" y="3" width="18" height="12" rx="1.5" />
      <path d="M3 19h4M10 19h4M17 19h4" />
    </Icon>
  );
}

/** A chevron pointing left (`previous`) or right. */
export function ChevronIcon({ previous = false }: { previous?: boolean }): ReactElement {
  return <Icon>{previous ? <path d="M15 5l-7 7 7 7" /> : <path d="M9 5l7 7-7 7" />}</Icon>;
}
