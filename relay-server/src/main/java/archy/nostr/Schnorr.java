package archy.nostr;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide BIP-340 implementation: libsecp256k1 through JNI when its native library loads,
 * otherwise pure-Java BouncyCastle. Setting the system property {@code archy.schnorr=java} forces the
 * fallback, for platforms where the bundled library misbehaves or to measure the difference.
 */
public final class Schnorr {
  static final String NATIVE = "libsecp256k1";
  static final String JAVA = "bouncycastle";
  private static final Logger LOG = LoggerFactory.getLogger(Schnorr.class);

  private Schnorr() {}

  public static SchnorrVerifier verifier() {
    return Chosen.CHOICE.verifier();
  }

  public static SchnorrSigner signer() {
    return Chosen.CHOICE.signer();
  }

  /** {@code "libsecp256k1"} or {@code "bouncycastle"}. */
  public static String implementation() {
    return Chosen.CHOICE.name();
  }

  record Choice(String name, SchnorrVerifier verifier, SchnorrSigner signer) {}

  /** Picks an implementation for a given value of the {@code archy.schnorr} property (null when unset). */
  static Choice choose(String property) {
    if ("java".equals(property)) return java();
    try {
      NativeSchnorr nativeSchnorr = new NativeSchnorr();
      return new Choice(NATIVE, nativeSchnorr, nativeSchnorr);
    } catch (LinkageError | RuntimeException e) {
      // Typically a noexec java.io.tmpdir (the .so is extracted there) or an unsupported platform.
      LOG.warn("libsecp256k1 did not load ({}); using BouncyCastle, about 3.5x slower", e.toString());
      return java();
    }
  }

  private static Choice java() {
    BouncySchnorr bouncy = new BouncySchnorr();
    return new Choice(JAVA, bouncy, bouncy);
  }

  /** Holder class: the JVM runs the choice once, lazily and thread-safely, on first use. */
  private static final class Chosen {
    static final Choice CHOICE = choose(System.getProperty("archy.schnorr"));
  }
}
