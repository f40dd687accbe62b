package archy.ecash.crypto;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * {@link Secp} in pure Java on BouncyCastle's fast secp256k1 curve. Not constant-time: it is the fallback when the
 * native library cannot load, and the independent implementation the tests compare the native one against.
 */
final class BouncySecp implements Secp {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  static final BigInteger N = CURVE.getN();

  @Override
  public byte[] parse(byte[] encoded) {
    try {
      ECPoint p = CURVE.getCurve().decodePoint(encoded);
      if (p.isInfinity() || !p.isValid()) throw new IllegalArgumentException("not a point on secp256k1");
      return p.getEncoded(false);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a point on secp256k1");
    }
  }

  @Override
  public byte[] base(byte[] scalar) {
    return encode(CURVE.getG().multiply(scalar(scalar)));
  }

  @Override
  public byte[] multiply(byte[] point, byte[] scalar) {
    return encode(decode(point).multiply(scalar(scalar)));
  }

  @Override
  public byte[] add(byte[] p, byte[] q) {
    ECPoint sum = decode(p).add(decode(q)).normalize();
    if (sum.isInfinity()) throw new ArithmeticException("point at infinity");
    return sum.getEncoded(false);
  }

  @Override
  public byte[] negate(byte[] point) {
    return encode(decode(point).negate());
  }

  @Override
  public byte[] scalarAdd(byte[] a, byte[] b) {
    BigInteger sum = scalar(a).add(scalar(b)).mod(N);
    if (sum.signum() == 0) throw new ArithmeticException("scalar sum is zero");
    return BigIntegers.asUnsignedByteArray(32, sum);
  }

  @Override
  public byte[] scalarMultiply(byte[] a, byte[] b) {
    return BigIntegers.asUnsignedByteArray(32, scalar(a).multiply(scalar(b)).mod(N));
  }

  private static ECPoint decode(byte[] point) {
    return CURVE.getCurve().decodePoint(point);
  }

  private static byte[] encode(ECPoint p) {
    // getEncoded on a non-normalized (projective) point would be wrong; normalize first.
    return p.normalize().getEncoded(false);
  }

  private static BigInteger scalar(byte[] bytes) {
    BigInteger k = new BigInteger(1, bytes);
    if (bytes.length != 32 || k.signum() == 0 || k.compareTo(N) >= 0) {
      throw new IllegalArgumentException("scalar must be 32 bytes in [1, n-1]");
    }
    return k;
  }
}
