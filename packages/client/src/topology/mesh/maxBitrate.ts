/**
 * Caps the bitrate of what `sender` encodes, in kbit/s, or lifts the cap with null. An
 * encoder setting: no renegotiation. Does nothing while the sender has no encodings yet
 * (before it is negotiated), or when the cap is already the one asked for.
 */
export async function applyMaxBitrate(sender: RTCRtpSender, kbps: number | null): Promise<void> {
  const parameters = sender.getParameters();
  const encoding = parameters.encodings?.[0];
  if (!encoding) return;
  const maxBitrate = kbps === null ? undefined : kbps * 1000;
  if (encoding.maxBitrate === maxBitrate) return;
  if (maxBitrate === undefined) delete encoding.maxBitrate;
  else encoding.maxBitrate = maxBitrate;
  await sender.setParameters(parameters);
}
