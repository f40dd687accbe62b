// An independent Cashu mint for the swap path, its crypto all cashu-ts's (createNewMintKeys, hashToCurve,
// createBlindSignature, createDLEQProof): keys (NUT-01/02), swap (NUT-03), mint with quotes that are paid at once
// (NUT-04, no Lightning), checkstate (NUT-07) and restore (NUT-09), in memory. Prints its URL, serves until killed.
// Usage: node cashu-ts-mint.mjs
import http from 'node:http';
import { createNewMintKeys, createBlindSignature, createDLEQProof, hashToCurve, pointFromHex } from '@cashu/cashu-ts';
import { bytesToHex } from '@noble/hashes/utils.js';
import { randomUUID } from 'node:crypto';

const keyset = createNewMintKeys(20, new TextEncoder().encode('cashu-ts interop mint'), { unit: 'sat', versionByte: 1 });
const id = keyset.keysetId;
const pub = Object.fromEntries(Object.entries(keyset.pubKeys).map(([a, k]) => [a, bytesToHex(k)]));
const spent = new Set();
const signed = new Map(); // B_ -> signature
const quotes = new Map();

class NutError extends Error { constructor(code, detail) { super(detail); this.code = code; } }

function sign(outputs) {
  const sigs = [];
  for (const o of outputs) {
    if (o.id !== id) throw new NutError(12001, 'keyset is not known');
    const priv = keyset.privKeys[String(o.amount)];
    if (!priv) throw new NutError(10001, 'amount not in keyset');
    if (signed.has(o.B_)) throw new NutError(11003, 'outputs already signed');
    const B_ = pointFromHex(o.B_);
    const s = createBlindSignature(B_, priv, id);
    const d = createDLEQProof(B_, priv);
    sigs.push({ amount: o.amount, id, C_: s.C_.toHex(true), dleq: { e: bytesToHex(d.e), s: bytesToHex(d.s) } });
  }
  outputs.forEach((o, i) => signed.set(o.B_, { output: o, signature: sigs[i] }));
  return sigs;
}

function verify(inputs) {
  let total = 0;
  const ys = [];
  for (const p of inputs) {
    if (p.id !== id) throw new NutError(12001, 'keyset is not known');
    const priv = keyset.privKeys[String(p.amount)];
    const Y = hashToCurve(new TextEncoder().encode(p.secret));
    if (!priv || !Y.multiply(BigInt('0x' + bytesToHex(priv))).equals(pointFromHex(p.C))) {
      throw new NutError(10001, 'proof verification failed');
    }
    const y = Y.toHex(true);
    if (spent.has(y)) throw new NutError(11001, 'proofs already spent');
    if (ys.includes(y)) throw new NutError(11007, 'duplicate inputs');
    ys.push(y);
    total += Number(p.amount);
  }
  return { total, ys };
}

const sum = (outputs) => outputs.reduce((t, o) => t + Number(o.amount), 0);

function route(method, path, body) {
  if (method === 'GET' && path === '/v1/info') return { name: 'cashu-ts-mint', version: 'cashu-ts', nuts: {} };
  if (method === 'GET' && path === '/v1/keysets') return { keysets: [{ id, unit: 'sat', active: true, input_fee_ppk: 0 }] };
  if (method === 'GET' && (path === '/v1/keys' || path === '/v1/keys/' + id)) return { keysets: [{ id, unit: 'sat', keys: pub }] };
  if (method === 'POST' && path === '/v1/swap') {
    const { total, ys } = verify(body.inputs);
    if (total !== sum(body.outputs)) throw new NutError(11005, 'transaction is not balanced');
    const signatures = sign(body.outputs);
    ys.forEach((y) => spent.add(y));
    return { signatures };
  }
  if (method === 'POST' && path === '/v1/checkstate') {
    return { states: body.Ys.map((Y) => ({ Y, state: spent.has(Y) ? 'SPENT' : 'UNSPENT', witness: null })) };
  }
  if (method === 'POST' && path === '/v1/restore') {
    const found = body.outputs.filter((o) => signed.has(o.B_)).map((o) => signed.get(o.B_));
    return { outputs: found.map((f) => f.output), signatures: found.map((f) => f.signature) };
  }
  if (method === 'POST' && path === '/v1/mint/quote/bolt11') {
    const q = { quote: randomUUID(), request: 'lnbc1cashutsinterop', amount: body.amount, unit: 'sat', state: 'PAID',
      expiry: Math.floor(Date.now() / 1000) + 3600, pubkey: body.pubkey };
    quotes.set(q.quote, q);
    return q;
  }
  if (method === 'GET' && path.startsWith('/v1/mint/quote/bolt11/')) {
    const q = quotes.get(path.split('/').pop());
    if (!q) throw new NutError(20007, 'quote not found');
    return q;
  }
  if (method === 'POST' && path === '/v1/mint/bolt11') {
    const q = quotes.get(body.quote);
    if (!q) throw new NutError(20007, 'quote not found');
    if (q.state === 'ISSUED') throw new NutError(20002, 'quote already issued');
    if (sum(body.outputs) !== q.amount) throw new NutError(11005, 'outputs do not add up to the quote');
    const signatures = sign(body.outputs);
    q.state = 'ISSUED';
    return { signatures };
  }
  return undefined;
}

const server = http.createServer((req, res) => {
  let data = '';
  req.on('data', (c) => { data += c; });
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    try {
      const answer = route(req.method, req.url, data ? JSON.parse(data) : undefined);
      if (answer === undefined) { res.statusCode = 404; res.end(JSON.stringify({ detail: 'not found', code: 0 })); return; }
      res.end(JSON.stringify(answer));
    } catch (e) {
      res.statusCode = 400;
      res.end(JSON.stringify({ detail: String(e.message), code: e.code ?? 0 }));
    }
  });
});
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
