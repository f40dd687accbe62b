package archy.ecash.crypto;

/**
 * The handful of secp256k1 operations that BDHKE, DLEQ and BIP-32 need, on 65-byte uncompressed points and
 * 32-byte big-endian scalars. Two implementations exist so that a platform where the native library does not
 * load still works ({@link BouncySecp}), and so that tests can check one against the other.
 */
interface Secp {
  /** Parses a SEC1 point (33 or 65 bytes); throws {@link IllegalArgumentException} when it is not on the curve. */
  byte[] parse(byte[] encoded);

  /** {@code scalar·G}. */
  byte[] base(byte[] scalar);

  /** {@code scalar·point}. */
  byte[] multiply(byte[] point, byte[] scalar);

  /** {@code p + q}; throws {@link ArithmeticException} when the sum is the point at infinity. */
  byte[] add(byte[] p, byte[] q);

  byte[] negate(byte[] point);

  /** {@code (a + b) mod n}; throws {@link ArithmeticException} when the result is zero. */
  byte[] scalarAdd(byte[] a, byte[] b);

  /** {@code (a · b) mod n}. */
  byte[] scalarMultiply(byte[] a, byte[] b);

  /** The implementation in use: libsecp256k1 through JNI when it loads, else BouncyCastle. */
  static Secp get() {
    return Chosen.INSTANCE;
  }

  /** Holder: the JVM makes the choice once, lazily and thread-safely. */
  final class Chosen {
    static final Secp INSTANCE = choose(System.getProperty("archy.secp"));

    private Chosen() {}

    static Secp choose(String property) {
      if ("java".equals(property)) return new BouncySecp();
      try {
        return new NativeSecp();
      } catch (LinkageError | RuntimeException e) {
        // Typically a noexec java.io.tmpdir (the .so is extracted there) or an unsupported platform.
        return new BouncySecp();
      }
    }
  }
}
