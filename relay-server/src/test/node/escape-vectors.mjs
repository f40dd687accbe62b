// Prints the vectors of resources/nostr-tools-escapes.jsonl (EventJsonTest): events with control characters,
// DEL, U+2028/2029 and a lone surrogate, signed and serialized by nostr-tools. Run: node escape-vectors.mjs
import { finalizeEvent, serializeEvent } from 'nostr-tools/pure'
const hexToBytes = h => Uint8Array.from(Buffer.from(h, 'hex'))
const sk = hexToBytes('0000000000000000000000000000000000000000000000000000000000000003')
const cases = [
  ['\u0001', []],
  ['a\u0000b\u001fc\u007fd', [['t', 'x\u0002y'], ['e', '\u000b\u000e']]],
  ['\b\t\n\f\r"\\ /\u2028\u2029', [['x', '\u0019']]],
  ['lone \ud800 surrogate and pair \ud83c\udfac', []],
]
for (const [content, tags] of cases) {
  const e = finalizeEvent({ kind: 1, created_at: 1700000000, tags, content }, sk)
  console.log(JSON.stringify({ serialized: serializeEvent(e), event: e }))
}
