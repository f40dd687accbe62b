package archy.ecash.lightning;

import archy.ecash.crypto.Scalar;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The recoverable ECDSA signature that closes a BOLT11 invoice: 64 bytes {@code r || s} (low s) and a recovery id,
 * over SHA-256 of the prefix and data. BouncyCastle rather than the JNI library because recovery is needed and
 * speed is not (invoices are signed once and decoded rarely).
 */
final class Bolt11Signature {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

  private Bolt11Signature() {}

  /** 65 bytes: {@code r || s || recovery id}, with RFC 6979 nonces so the same invoice always signs the same. */
  static byte[] sign(byte[] hash, Scalar key) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    BigInteger d = new BigInteger(1, key.toBytes());
    signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger r = rs[0];
    BigInteger s = rs[1].compareTo(HALF_N) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
    byte[] publicKey = CURVE.getG().multiply(d).getEncoded(true);
    for (int recid = 0; recid < 4; recid++) {
      byte[] recovered = recover(hash, r, s, recid);
      if (recovered != null && Arrays.equals(recovered, publicKey)) {
        byte[] out = new byte[65];
        System.arraycopy(bytes32(r), 0, out, 0, 32);
        System.arraycopy(bytes32(s), 0, out, 32, 32);
        out[64] = (byte) recid;
        return out;
      }
    }
    throw new IllegalStateException("no recovery id reproduces the signing key");
  }

  /**
   * The compressed public key that made {@code signature} over {@code hash} (SEC1 4.1.6), or null when the
   * signature is malformed or recovers nothing.
   */
  static byte[] recover(byte[] hash, byte[] signature) {
    if (signature.length != 65 || (signature[64] & 0xff) > 3) return null;
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.signum() == 0 || s.signum() == 0 || r.compareTo(CURVE.getN()) >= 0 || s.compareTo(CURVE.getN()) >= 0) {
      return null;
    }
    // BOLT11 readers accept high-s when recovering: normalizing keeps the recovery id valid (see its examples)
    if (s.compareTo(HALF_N) > 0) s = CURVE.getN().subtract(s);
    return recover(hash, r, s, signature[64]);
  }

  /** True when {@code s} is in the lower half: the canonical form a signature checked against a known key must have. */
  static boolean lowS(byte[] signature) {
    return new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)).compareTo(HALF_N) <= 0;
  }

  private static byte[] recover(byte[] hash, BigInteger r, BigInteger s, int recid) {
    BigInteger n = CURVE.getN();
    BigInteger x = r.add(n.multiply(BigInteger.valueOf(recid / 2)));
    if (x.compareTo(CURVE.getCurve().getField().getCharacteristic()) >= 0) return null;
    byte[] encoded = new byte[33];
    encoded[0] = (byte) ((recid & 1) == 0 ? 2 : 3);
    System.arraycopy(bytes32(x), 0, encoded, 1, 32);
    ECPoint bigR;
    try {
      bigR = CURVE.getCurve().decodePoint(encoded);
    } catch (IllegalArgumentException notOnCurve) {
      return null;
    }
    if (!bigR.multiply(n).isInfinity()) return null;
    BigInteger e = new BigInteger(1, hash);
    BigInteger rInv = r.modInverse(n);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(CURVE.getG(), rInv.multiply(e).negate().mod(n), bigR, rInv.multiply(s).mod(n));
    return q.isInfinity() ? null : q.normalize().getEncoded(true);
  }

  private static byte[] bytes32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, 32 - len, len);
    return out;
  }
}
