package archy.ecash.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * NUT-00 blind Diffie-Hellman key exchange. Alice blinds {@code B_ = Y + r·G} where {@code Y = hash_to_curve(x)},
 * the mint signs {@code C_ = k·B_}, Alice unblinds {@code C = C_ − r·K}, and the mint later checks
 * {@code k·Y == C}.
 *
 * <p>For real proofs {@code x} is the UTF-8 encoding of the {@code secret} string (the 64 hex characters, not the
 * 32 bytes they spell); the NUT-00 test vectors instead feed raw bytes. Both entry points exist so the
 * difference stays visible at every call site.
 */
public final class Bdhke {
  private static final byte[] DOMAIN_SEPARATOR = "Secp256k1_HashToCurve_Cashu_".getBytes(StandardCharsets.US_ASCII);
  /** The reference implementation gives up after 2^16 counters; a valid x turns up after ~2 tries on average. */
  private static final int MAX_COUNTER = 1 << 16;

  private Bdhke() {}

  /** {@code Y = hash_to_curve(UTF-8(secret))}: the point behind a proof's secret, also its NUT-07 {@code Y}. */
  public static Point hashToCurve(String secret) {
    return hashToCurve(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code hash_to_curve} over raw bytes: the first {@code 0x02 || SHA256(msg_hash || uint32_le(counter))} on the curve. */
  public static Point hashToCurve(byte[] message) {
    MessageDigest sha = Digests.sha256();
    sha.update(DOMAIN_SEPARATOR);
    byte[] msgHash = sha.digest(message);
    byte[] candidate = new byte[33];
    candidate[0] = 0x02;
    for (int counter = 0; counter < MAX_COUNTER; counter++) {
      sha.update(msgHash);
      sha.update(new byte[] {(byte) counter, (byte) (counter >>> 8), (byte) (counter >>> 16), (byte) (counter >>> 24)});
      System.arraycopy(sha.digest(), 0, candidate, 1, 32);
      try {
        return Point.ofUncompressed(Secp.get().parse(candidate));
      } catch (IllegalArgumentException notOnCurve) {
        // about half of all x values have no point; try the next counter
      }
    }
    throw new ArithmeticException("no point found for hash_to_curve");
  }

  /** Alice: {@code B_ = hash_to_curve(UTF-8(secret)) + r·G}. */
  public static Point blind(String secret, Scalar r) {
    return blind(hashToCurve(secret), r);
  }

  /** Alice: {@code B_ = Y + r·G}. */
  public static Point blind(Point y, Scalar r) {
    return y.add(r.publicKey());
  }

  /** The mint: {@code C_ = k·B_}. */
  public static Point sign(Point blinded, Scalar k) {
    return blinded.multiply(k);
  }

  /** Alice: {@code C = C_ − r·K}, where {@code K} is the mint's public key for the amount. */
  public static Point unblind(Point blindSignature, Scalar r, Point mintKey) {
    return blindSignature.subtract(mintKey.multiply(r));
  }

  /** The mint: {@code k·hash_to_curve(UTF-8(secret)) == C}. */
  public static boolean verify(String secret, Point c, Scalar k) {
    return hashToCurve(secret).multiply(k).equals(c);
  }
}
