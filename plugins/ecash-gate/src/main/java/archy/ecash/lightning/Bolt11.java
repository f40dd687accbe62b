package archy.ecash.lightning;

import archy.ecash.crypto.Digests;
import archy.ecash.crypto.Scalar;
import archy.nostr.Bech32;
import archy.nostr.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BOLT11 Lightning invoice: the fields a Cashu wallet or mint acts on (amount, payment hash, description or its
 * hash, timestamp and expiry, payee). {@link #decode} reads real invoices of any network ({@code lnbc},
 * {@code lntb}, {@code lntbs}, {@code lnbcrt}), checks the signature and recovers the payee; unknown tagged
 * fields are skipped, as BOLT11 requires. {@link #encode} writes the subset the fake network needs, byte for byte
 * as the BOLT11 examples do ({@code s}, {@code p}, {@code d} or {@code h}, {@code x} when not the default, and
 * the features {@code 9}), signed with RFC 6979 nonces.
 *
 * @param network         the BIP-173 currency prefix after {@code ln}: {@code bc}, {@code tb}, {@code tbs}, {@code bcrt}
 * @param amountMsat      null for an amountless invoice
 * @param timestamp       creation time, Unix seconds
 * @param paymentHash     64 hex characters; the payer learns its preimage on settlement
 * @param paymentSecret   64 hex characters; BOLT11 makes it mandatory, so {@link #decode} refuses invoices without it
 * @param description     the {@code d} field, or null
 * @param descriptionHash the {@code h} field (64 hex), or null
 * @param expirySeconds   seconds after {@code timestamp} (BOLT11 default 3600)
 * @param payee           the payee's compressed public key (66 hex), from {@code n} or recovered from the signature
 */
public record Bolt11(String network, Long amountMsat, long timestamp, String paymentHash, String paymentSecret,
                     String description, String descriptionHash, long expirySeconds, String payee) {
  /** Without an {@code x} field an invoice expires an hour after its timestamp. */
  public static final long DEFAULT_EXPIRY = 3600;
  private static final Pattern PREFIX = Pattern.compile("ln(bcrt|bc|tbs|tb)([0-9]*)([munp]?)");
  private static final int SIGNATURE_WORDS = 104;
  private static final int TAG_P = 1, TAG_S = 16, TAG_D = 13, TAG_H = 23, TAG_N = 19, TAG_X = 6, TAG_9 = 5;
  /** Features var_onion_optin and payment_secret, both required: bits 8 and 14, as every current node writes. */
  private static final byte[] FEATURES = {16, 8, 0};

  public Bolt11 {
    if (network == null || paymentHash == null || !Hex.isLowerHex(paymentHash, 64)) {
      throw new IllegalArgumentException("an invoice needs a network and a 32-byte payment hash");
    }
    if (amountMsat != null && amountMsat <= 0) throw new IllegalArgumentException("invoice amount must be positive");
    if (expirySeconds < 0) throw new IllegalArgumentException("invoice expiry is negative");
  }

  /** The amount in sat, rounded up (a mint must not pay less than asked); null when the invoice has none. */
  public Long amountSat() {
    return amountMsat == null ? null : Math.ceilDiv(amountMsat, 1000);
  }

  public Instant expiresAt() {
    return Instant.ofEpochSecond(timestamp).plusSeconds(expirySeconds);
  }

  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt());
  }

  /**
   * Parses and verifies an invoice (a {@code lightning:} prefix is stripped).
   *
   * @throws IllegalArgumentException when it is not a well-formed BOLT11 invoice or its signature does not verify
   */
  public static Bolt11 decode(String invoice) {
    if (invoice == null) throw new IllegalArgumentException("no invoice");
    String s = invoice.strip();
    if (s.regionMatches(true, 0, "lightning:", 0, 10)) s = s.substring(10);
    Bech32.Decoded decoded = Bech32.decodeWords(Bech32.Variant.BECH32, s);
    Matcher m = PREFIX.matcher(decoded.hrp());
    if (!m.matches()) throw new IllegalArgumentException("not a Lightning invoice prefix: " + decoded.hrp());
    byte[] words = decoded.data();
    if (words.length < 7 + SIGNATURE_WORDS) throw new IllegalArgumentException("invoice is too short");
    int end = words.length - SIGNATURE_WORDS;
    long timestamp = number(words, 0, 7);
    String hash = null, secret = null, description = null, descriptionHash = null, payeeField = null;
    long expiry = DEFAULT_EXPIRY;
    for (int i = 7; i < end; ) {
      if (i + 3 > end) throw new IllegalArgumentException("truncated tagged field");
      int tag = words[i];
      int length = (int) number(words, i + 1, 2);
      int start = i + 3;
      if (start + length > end) throw new IllegalArgumentException("tagged field runs into the signature");
      byte[] field = Arrays.copyOfRange(words, start, start + length);
      // BOLT11: fields of an unexpected length are skipped, so a newer writer cannot break an older reader
      switch (tag) {
        case TAG_P -> { if (length == 52 && hash == null) hash = Hex.encode(bytes(field, 32)); }
        case TAG_S -> { if (length == 52 && secret == null) secret = Hex.encode(bytes(field, 32)); }
        case TAG_H -> { if (length == 52) descriptionHash = Hex.encode(bytes(field, 32)); }
        case TAG_N -> { if (length == 53) payeeField = Hex.encode(bytes(field, 33)); }
        case TAG_D -> description = new String(bytes(field, length * 5 / 8), StandardCharsets.UTF_8);
        case TAG_X -> expiry = number(field, 0, length);
        default -> { }
      }
      i = start + length;
    }
    if (hash == null) throw new IllegalArgumentException("invoice has no payment hash");
    if (secret == null) throw new IllegalArgumentException("invoice has no payment secret");
    byte[] signature = bytes(Arrays.copyOfRange(words, end, words.length), 65);
    byte[] recovered = Bolt11Signature.recover(signingHash(decoded.hrp(), Arrays.copyOf(words, end)), signature);
    if (recovered == null) throw new IllegalArgumentException("invoice signature does not verify");
    String payee = Hex.encode(recovered);
    // with an n field the signature is checked against that key, where only low-s is valid (BOLT11 examples)
    if (payeeField != null && (!payeeField.equals(payee) || !Bolt11Signature.lowS(signature))) {
      throw new IllegalArgumentException("invoice signature is not by the payee it names");
    }
    return new Bolt11(m.group(1), amountMsat(m.group(2), m.group(3)), timestamp, hash, secret, description,
        descriptionHash, expiry, payee);
  }

  /**
   * This invoice signed by {@code key}. {@link #payee} is ignored (it follows from the key); no {@code n} field is
   * written, since readers recover the payee from the signature.
   */
  public String encode(Scalar key) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    writeNumber(data, timestamp, 7);
    if (paymentSecret != null) tagged(data, TAG_S, Bech32.regroup(Hex.decode(paymentSecret), 8, 5, true));
    tagged(data, TAG_P, Bech32.regroup(Hex.decode(paymentHash), 8, 5, true));
    if (description != null) tagged(data, TAG_D, Bech32.regroup(description.getBytes(StandardCharsets.UTF_8), 8, 5, true));
    if (descriptionHash != null) tagged(data, TAG_H, Bech32.regroup(Hex.decode(descriptionHash), 8, 5, true));
    if (expirySeconds != DEFAULT_EXPIRY) tagged(data, TAG_X, minimalNumber(expirySeconds));
    tagged(data, TAG_9, FEATURES);
    String hrp = "ln" + network + amountPart(amountMsat);
    byte[] unsigned = data.toByteArray();
    byte[] signature = Bolt11Signature.sign(signingHash(hrp, unsigned), key);
    byte[] words = Arrays.copyOf(unsigned, unsigned.length + SIGNATURE_WORDS);
    System.arraycopy(Bech32.regroup(signature, 8, 5, true), 0, words, unsigned.length, SIGNATURE_WORDS);
    return Bech32.encodeWords(Bech32.Variant.BECH32, hrp, words);
  }

  /** SHA-256 of the prefix's UTF-8 and the data words (before the signature) packed into bytes, zero-padded. */
  private static byte[] signingHash(String hrp, byte[] dataWords) {
    byte[] prefix = hrp.getBytes(StandardCharsets.UTF_8);
    byte[] data = Bech32.regroup(dataWords, 5, 8, true);
    byte[] all = Arrays.copyOf(prefix, prefix.length + data.length);
    System.arraycopy(data, 0, all, prefix.length, data.length);
    return Digests.sha256(all);
  }

  /** The amount after the currency prefix: the shortest of BTC, milli, micro, nano or pico units. */
  private static String amountPart(Long msat) {
    if (msat == null) return "";
    if (msat % 100_000_000_000L == 0) return Long.toString(msat / 100_000_000_000L);
    if (msat % 100_000_000L == 0) return msat / 100_000_000L + "m";
    if (msat % 100_000L == 0) return msat / 100_000L + "u";
    if (msat % 100L == 0) return msat / 100L + "n";
    return Math.multiplyExact(msat, 10L) + "p";
  }

  private static Long amountMsat(String digits, String multiplier) {
    if (digits.isEmpty()) {
      if (!multiplier.isEmpty()) throw new IllegalArgumentException("invoice amount has a unit but no digits");
      return null;
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') throw new IllegalArgumentException("invoice amount has a leading zero");
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invoice amount is too large");
    }
    return switch (multiplier) {
      case "" -> Math.multiplyExact(value, 100_000_000_000L);
      case "m" -> Math.multiplyExact(value, 100_000_000L);
      case "u" -> Math.multiplyExact(value, 100_000L);
      case "n" -> Math.multiplyExact(value, 100L);
      default -> {
        if (value % 10 != 0) throw new IllegalArgumentException("pico amount is not a whole millisatoshi");
        yield value / 10;
      }
    };
  }

  private static void tagged(ByteArrayOutputStream out, int tag, byte[] words) {
    out.write(tag);
    writeNumber(out, words.length, 2);
    out.writeBytes(words);
  }

  private static byte[] minimalNumber(long value) {
    int count = 1;
    while (count < 13 && (value >>> (5 * count)) != 0) count++;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeNumber(out, value, count);
    return out.toByteArray();
  }

  private static void writeNumber(ByteArrayOutputStream out, long value, int words) {
    for (int i = words - 1; i >= 0; i--) out.write((int) ((value >>> (5 * i)) & 31));
  }

  private static long number(byte[] words, int from, int count) {
    if (count > 12) throw new IllegalArgumentException("number field is too long");
    long v = 0;
    for (int i = from; i < from + count; i++) v = (v << 5) | words[i];
    return v;
  }

  /** The first {@code length} bytes of 5-bit words regrouped into bytes (trailing padding bits dropped). */
  private static byte[] bytes(byte[] words, int length) {
    byte[] all = Bech32.regroup(words, 5, 8, true);
    if (all.length < length) throw new IllegalArgumentException("tagged field is too short");
    return Arrays.copyOf(all, length);
  }
}
