/** State for a list of dismissible alerts, keyed by id so one cause shows at most once. */
import { useCallback, useState } from 'react';
import type { AlertMessage } from '../components/Alerts.js';

/** What {@link useAlerts} returns. */
export interface AlertsState {
  readonly alerts: readonly AlertMessage[];
  /** Shows `text` under `id`, replacing any alert with the same id. */
  readonly show: (id: string, text: string) => void;
  readonly dismiss: (id: string) => void;
  readonly clear: () => void;
}

/** A list of alerts with show/dismiss/clear. */
export function useAlerts(): AlertsState {
  const [alerts, setAlerts] = useState<readonly AlertMessage[]>([]);
  const show = useCallback((id: string, text: string) => {
    setAlerts((current) => [...current.filter((alert) => alert.id !== id), { id, text }]);
  }, []);
  const dismiss = useCallback((id: string) => {
    setAlerts((current) => current.filter((alert) => alert.id !== id));
  }, []);
  const clear = useCallback(() => setAlerts([]), []);
  return { alerts, show, dismiss, clear };
}
