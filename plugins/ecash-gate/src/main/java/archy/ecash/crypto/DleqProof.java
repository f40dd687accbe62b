package archy.ecash.crypto;

import archy.nostr.Hex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * A NUT-12 discrete-log-equality proof {@code (e, s)} that the key {@code a} behind the mint's public key
 * {@code A = a·G} also made the blind signature {@code C_ = a·B_}. Wallets verify it offline; a receiver
 * ("Carol") can verify it too when the sender includes the blinding factor {@code r}.
 */
public record DleqProof(Scalar e, Scalar s) {
  private static final byte[] NONCE_TAG = "Cashu_DLEQ_R_v1".getBytes(StandardCharsets.US_ASCII);

  public DleqProof {
    if (e == null || s == null) throw new IllegalArgumentException("DLEQ needs e and s");
  }

  /** Parses the 64-hex {@code e} and {@code s} of the JSON form. */
  public static DleqProof fromHex(String e, String s) {
    return new DleqProof(Scalar.fromHex(e), Scalar.fromHex(s));
  }

  /**
   * The mint's proof for {@code C_ = a·B_}, with NUT-12's deterministic nonce
   * {@code p = HMAC-SHA256(a, "Cashu_DLEQ_R_v1" || A || B_ || C_ || ctr)} over uncompressed points, retried with
   * the next counter byte while {@code p} is not a valid scalar. Deterministic, so an RNG failure cannot reuse a
   * nonce and leak {@code a}, and the official vector can be reproduced.
   */
  public static DleqProof create(Scalar a, Point blinded, Point blindSignature) {
    Point bigA = a.publicKey();
    Scalar p = nonce(a, bigA, blinded, blindSignature);
    Point r1 = p.publicKey();
    Point r2 = blinded.multiply(p);
    Scalar e = challenge(r1, r2, bigA, blindSignature);
    return new DleqProof(e, p.add(e.multiply(a)));
  }

  /** Alice's check: {@code R1 = s·G − e·A}, {@code R2 = s·B_ − e·C_}, then {@code e == hash(R1, R2, A, C_)}. */
  public boolean verify(Point mintKey, Point blinded, Point blindSignature) {
    try {
      Point r1 = s.publicKey().subtract(mintKey.multiply(e));
      Point r2 = blinded.multiply(s).subtract(blindSignature.multiply(e));
      return MessageDigest.isEqual(hashE(r1, r2, mintKey, blindSignature), e.bytes());
    } catch (ArithmeticException infinity) {
      return false;
    }
  }

  /**
   * Carol's check on a received proof: rebuilds {@code Y = hash_to_curve(UTF-8(secret))}, {@code C_ = C + r·A} and
   * {@code B_ = Y + r·G}, then verifies as Alice would.
   */
  public boolean verifyProof(Point mintKey, String secret, Point c, Scalar r) {
    return verifyProof(mintKey, Bdhke.hashToCurve(secret), c, r);
  }

  /** As {@link #verifyProof(Point, String, Point, Scalar)} for a {@code Y} already computed. */
  public boolean verifyProof(Point mintKey, Point y, Point c, Scalar r) {
    try {
      Point blindSignature = c.add(mintKey.multiply(r));
      Point blinded = Bdhke.blind(y, r);
      return verify(mintKey, blinded, blindSignature);
    } catch (ArithmeticException infinity) {
      return false;
    }
  }

  /** SHA-256 over the UTF-8 of the concatenated lowercase hex of each point's uncompressed form (NUT-12 {@code hash_e}). */
  static byte[] hashE(Point... points) {
    MessageDigest sha = Digests.sha256();
    for (Point p : points) sha.update(Hex.encode(p.uncompressedUnsafe()).getBytes(StandardCharsets.US_ASCII));
    return sha.digest();
  }

  private static Scalar challenge(Point... points) {
    return Scalar.fromBytes(hashE(points)); // a hash >= n has probability ~2^-128; it would throw, not mislead
  }

  private static Scalar nonce(Scalar a, Point bigA, Point blinded, Point blindSignature) {
    Mac hmac = Digests.hmacSha256(a.bytes());
    for (int ctr = 0; ctr < 256; ctr++) {
      hmac.update(NONCE_TAG);
      hmac.update(bigA.uncompressedUnsafe());
      hmac.update(blinded.uncompressedUnsafe());
      hmac.update(blindSignature.uncompressedUnsafe());
      hmac.update((byte) ctr);
      byte[] candidate = hmac.doFinal();
      try {
        return Scalar.fromBytes(candidate);
      } catch (IllegalArgumentException zeroOrTooLarge) {
        // retry with the next counter byte, as NUT-12 prescribes
      }
    }
    throw new ArithmeticException("no valid DLEQ nonce in 256 tries");
  }

  @Override
  public String toString() {
    return "DleqProof[e=" + e.toHex() + ", s=" + s.toHex() + "]";
  }
}
