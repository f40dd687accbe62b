package archy.ecash.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archy.nostr.Hex;
import org.junit.jupiter.api.Test;

/** The JNI and the pure-Java implementations must agree, so the fallback is as correct as the default. */
class SecpImplementationsTest {
  private final Secp jni = new NativeSecp();
  private final Secp java = new BouncySecp();

  @Test
  void agreeOnEveryOperation() {
    for (int i = 0; i < 50; i++) {
      byte[] a = Scalar.random().toBytes();
      byte[] b = Scalar.random().toBytes();
      byte[] p = jni.base(a);
      assertArrayEquals(p, java.base(a));
      assertArrayEquals(jni.multiply(p, b), java.multiply(p, b));
      byte[] q = jni.base(b);
      assertArrayEquals(jni.add(p, q), java.add(p, q));
      assertArrayEquals(jni.negate(p), java.negate(p));
      assertArrayEquals(jni.scalarAdd(a, b), java.scalarAdd(a, b));
      assertArrayEquals(jni.scalarMultiply(a, b), java.scalarMultiply(a, b));
      byte[] compressed = Point.ofUncompressed(p).compressed();
      assertArrayEquals(jni.parse(compressed), java.parse(compressed));
    }
  }

  @Test
  void bothRejectPointsOffTheCurveAndInfinity() {
    byte[] offCurve = Hex.decode("020000000000000000000000000000000000000000000000000000000000000005");
    assertThrows(IllegalArgumentException.class, () -> jni.parse(offCurve));
    assertThrows(IllegalArgumentException.class, () -> java.parse(offCurve));
    byte[] p = jni.base(Scalar.random().toBytes());
    assertThrows(ArithmeticException.class, () -> jni.add(p, jni.negate(p)));
    assertThrows(ArithmeticException.class, () -> java.add(p, java.negate(p)));
  }

  @Test
  void hashToCurveVectorsHoldOnTheJavaFallbackToo() {
    // hash_to_curve vector 1, recomputed with BouncyCastle parsing
    byte[] y = java.parse(Bdhke.hashToCurve(new byte[32]).compressed());
    assertArrayEquals(Hex.decode("024cce997d3b518f739663b757deaec95bcd9473c30a14ac2fd04023a739d1a725"),
        Point.ofUncompressed(y).compressed());
  }
}
