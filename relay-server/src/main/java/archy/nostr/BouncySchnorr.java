package archy.nostr;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * Pure-Java BIP-340, the fallback when libsecp256k1 cannot load. It runs on BouncyCastle's custom
 * secp256k1 curve (dedicated field arithmetic, GLV endomorphism) rather than on BigInteger affine
 * points, which are far slower (see java-stack.md, section 3). Unlike {@link NativeSchnorr} it accepts messages of
 * any length, as BIP-340 does. Signing uses BigInteger scalar arithmetic, which is not constant-time;
 * prefer the native signer for long-lived keys.
 */
final class BouncySchnorr implements SchnorrVerifier, SchnorrSigner {
  static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  private static final ECCurve CURVE = PARAMS.getCurve();
  private static final ECPoint G = PARAMS.getG();
  private static final BigInteger N = PARAMS.getN();
  private static final BigInteger P = CURVE.getField().getCharacteristic();
  private static final FixedPointCombMultiplier BASE = new FixedPointCombMultiplier();

  // BIP-340 tagged hashes start with SHA256(tag) || SHA256(tag); computing the prefix once saves a hash.
  private static final byte[] AUX = tagPrefix("BIP0340/aux");
  private static final byte[] NONCE = tagPrefix("BIP0340/nonce");
  private static final byte[] CHALLENGE = tagPrefix("BIP0340/challenge");
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(BouncySchnorr::sha256);

  @Override
  public boolean verify(byte[] signature, byte[] message, byte[] publicKey) {
    if (signature == null || message == null || publicKey == null
        || signature.length != 64 || publicKey.length != 32) {
      return false;
    }
    ECPoint pub = liftX(publicKey);
    if (pub == null) return false;
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.compareTo(P) >= 0 || s.compareTo(N) >= 0) return false;
    BigInteger e = challenge(Arrays.copyOfRange(signature, 0, 32), publicKey, message);
    // R = sG - eP in one interleaved (Shamir + GLV) multiplication.
    ECPoint point = ECAlgorithms.sumOfTwoMultiplies(G, s, pub, N.subtract(e).mod(N)).normalize();
    if (point.isInfinity() || point.getAffineYCoord().testBitZero()) return false;
    return point.getAffineXCoord().toBigInteger().equals(r);
  }

  @Override
  public byte[] sign(byte[] message, byte[] secretKey, byte[] auxRand) {
    if (message == null) throw new IllegalArgumentException("message must not be null");
    if (auxRand == null || auxRand.length != 32) throw new IllegalArgumentException("aux_rand must be 32 bytes");
    BigInteger d = scalar(secretKey);
    ECPoint pub = BASE.multiply(G, d).normalize();
    if (pub.getAffineYCoord().testBitZero()) d = N.subtract(d);
    byte[] px = pub.getAffineXCoord().getEncoded();

    byte[] t = hash(AUX, auxRand);
    byte[] dBytes = BigIntegers.asUnsignedByteArray(32, d);
    for (int i = 0; i < 32; i++) t[i] ^= dBytes[i];
    BigInteger k = new BigInteger(1, hash(NONCE, t, px, message)).mod(N);
    if (k.signum() == 0) throw new IllegalStateException("BIP-340 nonce is zero"); // probability 2^-256
    ECPoint r = BASE.multiply(G, k).normalize();
    if (r.getAffineYCoord().testBitZero()) k = N.subtract(k);
    byte[] rx = r.getAffineXCoord().getEncoded();

    BigInteger e = challenge(rx, px, message);
    byte[] signature = new byte[64];
    System.arraycopy(rx, 0, signature, 0, 32);
    BigIntegers.asUnsignedByteArray(k.add(e.multiply(d)).mod(N), signature, 32, 32);
    // BIP-340 recommends this check: a computation fault must not release a signature that leaks the key.
    if (!verify(signature, message, px)) throw new IllegalStateException("BIP-340 signature failed its own check");
    return signature;
  }

  @Override
  public byte[] publicKey(byte[] secretKey) {
    return BASE.multiply(G, scalar(secretKey)).normalize().getAffineXCoord().getEncoded();
  }

  /** The point with x-coordinate {@code x} and even y, or null when there is none (BIP-340 lift_x). */
  static ECPoint liftX(byte[] x) {
    BigInteger xi = new BigInteger(1, x);
    if (xi.compareTo(P) >= 0) return null;
    ECFieldElement fx = CURVE.fromBigInteger(xi);
    ECFieldElement fy = fx.square().multiply(fx).add(CURVE.getB()).sqrt();
    if (fy == null) return null;
    if (fy.testBitZero()) fy = fy.negate();
    return CURVE.createPoint(xi, fy.toBigInteger());
  }

  private static BigInteger scalar(byte[] secretKey) {
    if (secretKey == null || secretKey.length != 32) throw new IllegalArgumentException("secret key must be 32 bytes");
    BigInteger d = new BigInteger(1, secretKey);
    if (d.signum() == 0 || d.compareTo(N) >= 0) {
      throw new IllegalArgumentException("secret key is zero or not below the curve order");
    }
    return d;
  }

  private static BigInteger challenge(byte[] rx, byte[] px, byte[] message) {
    return new BigInteger(1, hash(CHALLENGE, rx, px, message)).mod(N);
  }

  private static byte[] hash(byte[] tagPrefix, byte[]... parts) {
    MessageDigest md = SHA256.get();
    md.update(tagPrefix);
    for (byte[] part : parts) md.update(part);
    return md.digest();
  }

  private static byte[] tagPrefix(String tag) {
    byte[] tagHash = sha256().digest(tag.getBytes(StandardCharsets.US_ASCII));
    byte[] prefix = new byte[64];
    System.arraycopy(tagHash, 0, prefix, 0, 32);
    System.arraycopy(tagHash, 0, prefix, 32, 32);
    return prefix;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
