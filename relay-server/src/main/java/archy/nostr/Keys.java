package archy.nostr;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * A secp256k1 key pair in lowercase hex. The constructor checks that the public key belongs to the secret
 * key, so a {@code Keys} value is always a usable pair. {@link #toString()} leaves the secret out of logs.
 */
public record Keys(String secretHex, String publicKeyHex) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public Keys {
    if (!Hex.isLowerHex(secretHex, 64)) {
      throw new IllegalArgumentException("secret key must be 64 lowercase hex characters");
    }
    if (!Hex.isLowerHex(publicKeyHex, 64)) {
      throw new IllegalArgumentException("public key must be 64 lowercase hex characters");
    }
    if (!derivePublicKey(secretHex).equals(publicKeyHex)) {
      throw new IllegalArgumentException("public key does not belong to the secret key");
    }
  }

  /** A fresh key pair from {@link SecureRandom}. */
  public static Keys generate() {
    byte[] secret = new byte[32];
    while (true) {
      RANDOM.nextBytes(secret);
      String secretHex = Hex.encode(secret);
      try {
        return new Keys(secretHex, derivePublicKey(secretHex));
      } catch (IllegalArgumentException zeroOrAboveOrder) {
        // Probability about 2^-128: draw again.
      }
    }
  }

  /** Reads a secret key given as 64 hex characters or as a NIP-19 {@code nsec1…} string. */
  public static Keys parse(String hexOrNsec) {
    String s = hexOrNsec.strip();
    String secretHex;
    if (s.regionMatches(true, 0, "nsec1", 0, 5)) {
      if (!(Nip19.decode(s) instanceof Nip19.SecretKey key)) throw new IllegalArgumentException("not an nsec");
      secretHex = key.hex();
    } else if (Hex.isLowerHex(s.toLowerCase(Locale.ROOT), 64)) {
      secretHex = s.toLowerCase(Locale.ROOT);
    } else {
      throw new IllegalArgumentException("expected a secret key as 64 hex characters or nsec1…");
    }
    return new Keys(secretHex, derivePublicKey(secretHex));
  }

  /**
   * A public key given as 64 hex characters (either case) or as a NIP-19 {@code npub1…}, as lowercase hex;
   * how every config list of pubkeys is read.
   */
  public static String parsePublicKey(String hexOrNpub) {
    String s = hexOrNpub.strip();
    if (s.regionMatches(true, 0, "npub1", 0, 5)) {
      try {
        if (Nip19.decode(s) instanceof Nip19.Pubkey p) return p.hex();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + hexOrNpub + "' is not a valid npub: " + e.getMessage());
      }
    }
    String hex = s.toLowerCase(Locale.ROOT);
    if (Hex.isLowerHex(hex, 64)) return hex;
    throw new IllegalArgumentException("'" + hexOrNpub + "' is neither 64 hex characters nor an npub");
  }

  /** The public key as NIP-19 {@code npub1…}. */
  public String npub() {
    return Nip19.encode(new Nip19.Pubkey(publicKeyHex));
  }

  @Override
  public String toString() {
    return "Keys[" + publicKeyHex + "]";
  }

  private static String derivePublicKey(String secretHex) {
    return Hex.encode(Schnorr.signer().publicKey(Hex.decode(secretHex)));
  }
}
