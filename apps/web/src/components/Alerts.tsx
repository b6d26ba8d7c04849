/** Dismissible messages shown with `role="alert"`: never modal, never trapping focus. */
import type { ReactElement } from 'react';

/** One message on screen. */
export interface AlertMessage {
  /** Stable for the message's lifetime; also names its kind (e.g. 'room-full', 'camera'). */
  readonly id: string;
  readonly text: string;
}

/** Props of {@link Alerts}. */
export interface AlertsProps {
  readonly alerts: readonly AlertMessage[];
  readonly onDismiss: (id: string) => void;
  /** Extra class for placement (lobby vs call). */
  readonly className?: string;
}

/** The list of current alerts, newest last, each with a "Dismiss" button. */
export function Alerts({ alerts, onDismiss, className = '' }: AlertsProps): ReactElement | null {
  if (alerts.length === 0) return null;
  return (
    <div className={`alerts ${className}`}>
      {alerts.map((alert) => (
        <div key={alert.id} role="alert" className="alert" data-alert={alert.id}>
          <p className="alert-text">{alert.text}</p>
          <button type="button" className="alert-dismiss" onClick={() => onDismiss(alert.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
