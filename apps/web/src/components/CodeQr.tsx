/**
 * A code as a QR image, made in the browser (no request anywhere). A QR code holds at most
 * 2,953 bytes; a longer code gets a note instead of an image.
 */
import { toDataURL } from 'qrcode';
import { useEffect, useState, type ReactElement } from 'react';

/** Props of {@link CodeQr}. */
export interface CodeQrProps {
  readonly code: string;
  /** The image's accessible name. */
  readonly label: string;
}

type QrState = { readonly code: string; readonly url: string | null };

/** The QR image, or a note when the code does not fit in one. */
export function CodeQr({ code, label }: CodeQrProps): ReactElement | null {
  const [qr, setQr] = useState<QrState | null>(null);

  useEffect(() => {
    let current = true;
    // Level L (7 % error correction) fits the most data; a screen-to-camera scan is clean.
    toDataURL(code, { errorCorrectionLevel: 'L', margin: 2, width: 320 })
      .then((url) => current && setQr({ code, url }))
      .catch(() => current && setQr({ code, url: null }));
    return () => {
      current = false;
    };
  }, [code]);

  if (!qr || qr.code !== code) return null;
  if (!qr.url) return <p className="hint">This code is too long for a QR code. Copy it and send it as text instead.</p>;
  return <img className="code-qr" src={qr.url} alt={label} width={320} height={320} />;
}
