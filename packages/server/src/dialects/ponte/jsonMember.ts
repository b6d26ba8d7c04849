/**
 * Finding a member's value inside JSON text without parsing it again, so the server can relay
 * the bytes a client sent instead of serializing the parsed value anew (`JSON.stringify` of
 * an SDP, with its escaped line breaks, costs more than parsing it did).
 * @packageDocumentation
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipWhitespace(json: Buffer, at: number): number {
  while (isWhitespace(json[at])) at += 1;
  return at;
}

/** The index just past the string that opens at `at` (a quote). */
function stringEnd(json: Buffer, at: number): number {
  let from = at + 1;
  for (;;) {
    const quote = json.indexOf(QUOTE, from);
    if (quote < 0) throw new SyntaxError('unterminated string');
    let backslashes = 0;
    while (json[quote - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index just past the value that starts at `at`. */
function valueEnd(json: Buffer, at: number): number {
  const first = json[at];
  if (first === QUOTE) return stringEnd(json, at);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A number, true, false or null: it runs to the next delimiter.
    while (at < json.length && json[at] !== COMMA && json[at] !== CLOSE_BRACE && json[at] !== CLOSE_BRACKET && !isWhitespace(json[at])) {
      at += 1;
    }
    return at;
  }
  let depth = 0;
  while (at < json.length) {
    const byte = json[at];
    if (byte === QUOTE) {
      at = stringEnd(json, at);
      continue;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
    else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && --depth === 0) return at + 1;
    at += 1;
  }
  throw new SyntaxError('unterminated value');
}

function keyIs(json: Buffer, start: number, end: number, key: string): boolean {
  for (let at = start + 1; at < end - 1; at += 1) {
    // An escaped key ("d\u0061ta") names the same member as the plain one.
    if (json[at] === BACKSLASH) return JSON.parse(json.toString('utf8', start, end)) === key;
  }
  if (end - start !== key.length + 2) return false;
  // Byte by byte: this runs for every top-level key of every relayed signal.
  for (let i = 0; i < key.length; i += 1) if (json[start + 1 + i] !== key.charCodeAt(i)) return false;
  return true;
}

/**
 * The bytes of the value of the top-level member `key` of the JSON object in `json`, as a view
 * into `json`; the last one when the key repeats, as `JSON.parse` keeps the last. Undefined
 * when the object has no such member.
 *
 * `json` must be text that `JSON.parse` accepted as an object: the scan trusts its syntax.
 */
export function memberJson(json: Buffer, key: string): Buffer | undefined {
  let at = skipWhitespace(json, 0);
  if (json[at] !== OPEN_BRACE) return undefined;
  at = skipWhitespace(json, at + 1);
  let found: Buffer | undefined;
  while (json[at] === QUOTE) {
    const keyEnd = stringEnd(json, at);
    const matches = keyIs(json, at, keyEnd, key);
    at = skipWhitespace(json, keyEnd);
    if (json[at] !== COLON) throw new SyntaxError('expected a colon');
    const start = skipWhitespace(json, at + 1);
    const end = valueEnd(json, start);
    if (matches) found = json.subarray(start, end);
    at = skipWhitespace(json, end);
    if (json[at] !== COMMA) break;
    at = skipWhitespace(json, at + 1);
  }
  return found;
}
