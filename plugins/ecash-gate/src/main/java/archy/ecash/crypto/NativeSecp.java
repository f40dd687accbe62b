package archy.ecash.crypto;

import fr.acinq.secp256k1.Secp256k1;

/**
 * {@link Secp} over ACINQ's JNI binding of libsecp256k1: constant-time in the secret scalars and several times
 * faster than BouncyCastle. The binding signals invalid input (a point off the curve, a zero result) by throwing
 * a RuntimeException; those are translated to the exceptions {@link Secp} documents.
 */
final class NativeSecp implements Secp {
  private final Secp256k1 secp;

  NativeSecp() {
    this.secp = Secp256k1.get();
  }

  @Override
  public byte[] parse(byte[] encoded) {
    try {
      return secp.pubkeyParse(encoded);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a point on secp256k1");
    }
  }

  @Override
  public byte[] base(byte[] scalar) {
    return secp.pubkeyCreate(scalar);
  }

  @Override
  public byte[] multiply(byte[] point, byte[] scalar) {
    return secp.pubKeyTweakMul(point, scalar);
  }

  @Override
  public byte[] add(byte[] p, byte[] q) {
    try {
      return secp.pubKeyCombine(new byte[][] {p, q});
    } catch (RuntimeException e) {
      throw new ArithmeticException("point at infinity");
    }
  }

  @Override
  public byte[] negate(byte[] point) {
    return secp.pubKeyNegate(point);
  }

  @Override
  public byte[] scalarAdd(byte[] a, byte[] b) {
    try {
      return secp.privKeyTweakAdd(a, b);
    } catch (RuntimeException e) {
      throw new ArithmeticException("scalar sum is zero");
    }
  }

  @Override
  public byte[] scalarMultiply(byte[] a, byte[] b) {
    return secp.privKeyTweakMul(a, b);
  }
}
