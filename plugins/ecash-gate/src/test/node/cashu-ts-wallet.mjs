// cashu-ts (an independent Cashu wallet) against our dev mint: mint (plain and NUT-20 locked), send (a swap),
// receive (a swap by a second wallet), state checks, and a melt of the invoice given as the second argument.
// Prints one JSON line for DevMintCashuTsInteropTest; the token it prints was made by cashu-ts for our side to redeem.
// Usage: node cashu-ts-wallet.mjs <mint-url> <bolt11-to-melt>
import { Wallet, getEncodedToken } from '@cashu/cashu-ts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const [mintUrl, invoice] = process.argv.slice(2);
const sum = (proofs) => proofs.reduce((total, p) => total + Number(p.amount), 0);

const alice = new Wallet(mintUrl, { unit: 'sat', requireSigDleq: true });
await alice.loadMint();

// NUT-04: the dev mint started by the test pays its mint quotes by itself.
const quote = await alice.createMintQuoteBolt11(100);
const minted = await alice.mintProofsBolt11(100, quote);

// NUT-20: a quote locked to a key; cashu-ts signs the mint request.
const key = secp256k1.utils.randomSecretKey();
const locked = await alice.createLockedMintQuote(64, bytesToHex(secp256k1.getPublicKey(key, true)));
const lockedProofs = await alice.mintProofsBolt11(64, locked, { privkey: bytesToHex(key) });

// NUT-03 send: split 100 into 21 to send and the rest to keep.
const { keep, send } = await alice.send(21, minted, { includeFees: true });
const token = getEncodedToken({ mint: mintUrl, unit: 'sat', proofs: send });

// A second wallet receives the token (swap at the mint, DLEQ required).
const bob = new Wallet(mintUrl, { unit: 'sat', requireSigDleq: true });
await bob.loadMint();
const received = await bob.receive(token, { requireDleq: true });

// NUT-07: the sent proofs are spent now, the kept ones not.
const sentStates = await alice.checkProofsStates(send);
const keptStates = await alice.checkProofsStates(keep);

// NUT-05/08: melt the given invoice with the locked-quote proofs; change comes back on blank outputs.
const meltQuote = await alice.createMeltQuoteBolt11(invoice);
const melt = await alice.meltProofsBolt11(meltQuote, lockedProofs);

// A token made by cashu-ts from Bob's proofs, for the Java side to redeem.
const forJava = getEncodedToken({ mint: mintUrl, unit: 'sat', proofs: received });

console.log(JSON.stringify({
  minted: sum(minted),
  mintedLocked: sum(lockedProofs),
  kept: sum(keep),
  sent: sum(send),
  received: sum(received),
  sentStates: sentStates.map((s) => s.state),
  keptStates: keptStates.map((s) => s.state),
  meltState: melt.quote.state,
  meltAmount: Number(meltQuote.amount),
  meltFeeReserve: Number(meltQuote.fee_reserve),
  meltChange: sum(melt.change),
  token: forJava,
}));
