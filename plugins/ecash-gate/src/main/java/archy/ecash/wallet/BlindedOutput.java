package archy.ecash.wallet;

import archy.ecash.crypto.Bdhke;
import archy.ecash.crypto.DleqProof;
import archy.ecash.crypto.Point;
import archy.ecash.crypto.Scalar;
import archy.ecash.keyset.InvalidKeysetException;
import archy.ecash.keyset.Keyset;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Dleq;
import archy.ecash.token.Proof;
import archy.nostr.Hex;
import java.security.SecureRandom;

/**
 * One output a wallet asks the mint to sign, with what only the wallet knows: the {@code secret} and the blinding
 * factor {@code r}. Persist it (write-ahead) before sending {@link #message()}, because the matching signature
 * is worthless without it. {@link #unblind} turns the mint's answer into a spendable {@link Proof}.
 */
public record BlindedOutput(long amount, String keysetId, String secret, Scalar r, Point blinded) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public BlindedOutput {
    if (amount < 0 || keysetId == null || secret == null || r == null || blinded == null) {
      throw new IllegalArgumentException("an output needs a non-negative amount, keyset, secret, r and B_");
    }
  }

  /** {@code B_ = hash_to_curve(UTF-8(secret)) + r·G}. */
  public static BlindedOutput create(long amount, String keysetId, String secret, Scalar r) {
    return new BlindedOutput(amount, keysetId, secret, r, Bdhke.blind(secret, r));
  }

  /** A fresh random secret (32 CSPRNG bytes as 64 hex characters, the form NUT-00 recommends) and random r. */
  public static BlindedOutput random(long amount, String keysetId) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return create(amount, keysetId, Hex.encode(secret), Scalar.random());
  }

  /** The output for NUT-13 counter {@code counter}, recoverable from the seed alone. */
  public static BlindedOutput deterministic(long amount, String keysetId, DeterministicSecrets secrets, long counter)
      throws InvalidKeysetException {
    DeterministicSecrets.Derived d = secrets.derive(keysetId, counter);
    return create(amount, keysetId, d.secret(), d.r());
  }

  /** What goes to the mint. */
  public BlindedMessage message() {
    return new BlindedMessage(amount, keysetId, blinded.toHex());
  }

  /**
   * Unblinds the mint's signature on this output: {@code C = C_ − r·K}. A DLEQ proof, when the mint sent one, is
   * verified (NUT-12 MUST) and kept in the proof together with {@code r} so a receiver can check it too.
   *
   * @throws InvalidSignatureException when the signature names another keyset or amount, or its DLEQ fails
   */
  public Proof unblind(BlindSignature signature, Keyset keyset) throws InvalidSignatureException {
    if (signature.amount() != amount) {
      throw new InvalidSignatureException("signature amount " + signature.amount() + " but output amount " + amount);
    }
    return unblindAnyAmount(signature, keyset);
  }

  /**
   * As {@link #unblind}, for a NUT-08 blank output: the mint chose the amount, so the signature's amount is taken
   * (it must still have a key in the keyset).
   */
  public Proof unblindChange(BlindSignature signature, Keyset keyset) throws InvalidSignatureException {
    return unblindAnyAmount(signature, keyset);
  }

  private Proof unblindAnyAmount(BlindSignature signature, Keyset keyset) throws InvalidSignatureException {
    if (!signature.id().equals(keysetId) || !keyset.id().equals(keysetId)) {
      throw new InvalidSignatureException("signature from keyset " + signature.id() + " for an output of " + keysetId);
    }
    Point mintKey = keyset.key(signature.amount())
        .orElseThrow(() -> new InvalidSignatureException("keyset " + keysetId + " has no key for " + signature.amount()));
    Point c_;
    try {
      c_ = signature.signature();
    } catch (IllegalArgumentException e) {
      throw new InvalidSignatureException("C_ is not a point");
    }
    Dleq dleq = null;
    if (signature.dleq() != null) {
      DleqProof proof;
      try {
        proof = signature.dleq().proof();
      } catch (IllegalArgumentException e) {
        throw new InvalidSignatureException("DLEQ e or s is not a scalar");
      }
      if (!proof.verify(mintKey, blinded, c_)) throw new InvalidSignatureException("DLEQ proof does not verify");
      dleq = Dleq.of(proof, r);
    }
    Point c;
    try {
      c = Bdhke.unblind(c_, r, mintKey);
    } catch (ArithmeticException infinity) {
      throw new InvalidSignatureException("signature unblinds to the point at infinity");
    }
    return new Proof(signature.amount(), keysetId, secret, c.toHex(), dleq, null);
  }

  @Override
  public String toString() {
    return "BlindedOutput[amount=" + amount + ", keysetId=" + keysetId + ", secret=redacted, B_=" + blinded + "]";
  }
}
