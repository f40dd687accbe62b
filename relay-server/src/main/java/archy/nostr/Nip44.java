package archy.nostr;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.ECPoint;

/**
 * NIP-44 version 2 encryption between two Nostr keys: ECDH on secp256k1 (x coordinate), HKDF-SHA256 with salt
 * {@code nip44-v2} for the conversation key, per-message keys from HKDF-expand over a 32-byte nonce, ChaCha20
 * (RFC 8439, counter 0) over the padded plaintext and HMAC-SHA256 over nonce || ciphertext. Tested with the
 * published vectors of paulmillr/nip44.
 */
public final class Nip44 {
  private static final byte VERSION = 2;
  private static final int MIN_PLAINTEXT = 1;
  private static final int MAX_PLAINTEXT = 65535;
  private static final BigInteger N = BouncySchnorr.PARAMS.getN();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Nip44() {}

  /** Thrown for a payload that is not a valid NIP-44 v2 message for this key (the reason says why). */
  public static final class DecryptException extends Exception {
    public DecryptException(String message) {
      super(message);
    }
  }

  /** The conversation key of {@code secretHex} and the x-only {@code publicHex}: symmetric for both sides. */
  public static byte[] conversationKey(String secretHex, String publicHex) {
    byte[] sec = Hex.decode(secretHex);
    BigInteger d = new BigInteger(1, sec);
    if (sec.length != 32 || d.signum() == 0 || d.compareTo(N) >= 0) {
      throw new IllegalArgumentException("secret key out of range");
    }
    ECPoint pub = publicHex.length() == 64 ? BouncySchnorr.liftX(Hex.decode(publicHex)) : null;
    if (pub == null) throw new IllegalArgumentException("public key is not on the curve");
    byte[] shared = pub.multiply(d).normalize().getAffineXCoord().getEncoded();
    return hmac("nip44-v2".getBytes(StandardCharsets.US_ASCII), shared); // HKDF-extract
  }

  /** Encrypts with a fresh random nonce. */
  public static String encrypt(String plaintext, byte[] conversationKey) {
    byte[] nonce = new byte[32];
    RANDOM.nextBytes(nonce);
    return encrypt(plaintext, conversationKey, nonce);
  }

  /** Encrypts with the given nonce (tests; callers use {@link #encrypt(String, byte[])}). */
  public static String encrypt(String plaintext, byte[] conversationKey, byte[] nonce) {
    byte[] keys = messageKeys(conversationKey, nonce);
    byte[] padded = pad(plaintext.getBytes(StandardCharsets.UTF_8));
    byte[] ciphertext = chacha(keys, padded);
    byte[] mac = hmac(Arrays.copyOfRange(keys, 44, 76), concat(nonce, ciphertext));
    byte[] out = new byte[1 + 32 + ciphertext.length + 32];
    out[0] = VERSION;
    System.arraycopy(nonce, 0, out, 1, 32);
    System.arraycopy(ciphertext, 0, out, 33, ciphertext.length);
    System.arraycopy(mac, 0, out, 33 + ciphertext.length, 32);
    return Base64.getEncoder().encodeToString(out);
  }

  public static String decrypt(String payload, byte[] conversationKey) throws DecryptException {
    if (payload == null || payload.isEmpty()) throw new DecryptException("empty payload");
    if (payload.charAt(0) == '#') throw new DecryptException("unknown encryption version");
    if (payload.length() < 132 || payload.length() > 87472) throw new DecryptException("invalid payload length");
    byte[] data;
    try {
      data = Base64.getDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      throw new DecryptException("invalid base64");
    }
    if (data.length < 99 || data.length > 65603) throw new DecryptException("invalid data length");
    if (data[0] != VERSION) throw new DecryptException("unknown encryption version " + data[0]);
    byte[] nonce = Arrays.copyOfRange(data, 1, 33);
    byte[] ciphertext = Arrays.copyOfRange(data, 33, data.length - 32);
    byte[] mac = Arrays.copyOfRange(data, data.length - 32, data.length);
    byte[] keys = messageKeys(conversationKey, nonce);
    if (!MessageDigest.isEqual(mac, hmac(Arrays.copyOfRange(keys, 44, 76), concat(nonce, ciphertext)))) {
      throw new DecryptException("invalid MAC");
    }
    return unpad(chacha(keys, ciphertext));
  }

  /** The length a plaintext of {@code length} bytes is padded to (before the 2-byte length prefix). */
  public static int paddedLength(int length) {
    if (length <= 32) return 32;
    int nextPower = 1 << (32 - Integer.numberOfLeadingZeros(length - 1));
    int chunk = nextPower <= 256 ? 32 : nextPower / 8;
    return chunk * ((length - 1) / chunk + 1);
  }

  /** chacha_key (32) || chacha_nonce (12) || hmac_key (32): HKDF-expand(conversation key, nonce, 76). */
  static byte[] messageKeys(byte[] conversationKey, byte[] nonce) {
    if (conversationKey.length != 32) throw new IllegalArgumentException("conversation key must be 32 bytes");
    if (nonce.length != 32) throw new IllegalArgumentException("nonce must be 32 bytes");
    byte[] out = new byte[76];
    byte[] previous = new byte[0];
    for (int i = 1, at = 0; at < out.length; i++) {
      previous = hmac(conversationKey, concat(previous, nonce, new byte[] {(byte) i}));
      int n = Math.min(previous.length, out.length - at);
      System.arraycopy(previous, 0, out, at, n);
      at += n;
    }
    return out;
  }

  private static byte[] pad(byte[] plaintext) {
    if (plaintext.length < MIN_PLAINTEXT || plaintext.length > MAX_PLAINTEXT) {
      throw new IllegalArgumentException("plaintext must be 1 to 65535 bytes");
    }
    byte[] out = new byte[2 + paddedLength(plaintext.length)];
    out[0] = (byte) (plaintext.length >>> 8);
    out[1] = (byte) plaintext.length;
    System.arraycopy(plaintext, 0, out, 2, plaintext.length);
    return out;
  }

  private static String unpad(byte[] padded) throws DecryptException {
    int length = ((padded[0] & 0xff) << 8) | (padded[1] & 0xff);
    if (length < MIN_PLAINTEXT || 2 + length > padded.length || padded.length != 2 + paddedLength(length)) {
      throw new DecryptException("invalid padding");
    }
    return new String(padded, 2, length, StandardCharsets.UTF_8);
  }

  private static byte[] chacha(byte[] keys, byte[] input) {
    ChaCha7539Engine engine = new ChaCha7539Engine();
    engine.init(true, new ParametersWithIV(new KeyParameter(keys, 0, 32), Arrays.copyOfRange(keys, 32, 44)));
    byte[] out = new byte[input.length];
    engine.processBytes(input, 0, input.length, out, 0);
    return out;
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) length += p.length;
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
