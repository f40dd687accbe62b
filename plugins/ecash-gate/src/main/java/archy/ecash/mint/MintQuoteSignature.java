package archy.ecash.mint;

import archy.ecash.crypto.Digests;
import archy.ecash.crypto.Point;
import archy.ecash.crypto.Scalar;
import archy.ecash.token.BlindedMessage;
import archy.nostr.Hex;
import archy.nostr.Schnorr;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * NUT-20: a mint quote created with a {@code pubkey} can only be minted with a BIP-340 signature, by that key,
 * over {@code SHA256(UTF-8(quote || B_0 || … || B_n-1))} (the {@code B_} as their hex strings, in request order).
 * Without it, anyone who learns the quote id can take the ecash. Use a fresh key per quote, for privacy.
 */
public final class MintQuoteSignature {
  private static final SecureRandom RANDOM = new SecureRandom();

  private MintQuoteSignature() {}

  /** The bytes that are hashed and signed. */
  public static byte[] message(String quote, List<BlindedMessage> outputs) {
    StringBuilder sb = new StringBuilder(quote.length() + outputs.size() * 66);
    sb.append(quote);
    for (BlindedMessage o : outputs) sb.append(o.b());
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The 64-byte signature as hex, for the {@code signature} field of the mint request. */
  public static String sign(String quote, List<BlindedMessage> outputs, Scalar key) {
    byte[] aux = new byte[32];
    RANDOM.nextBytes(aux);
    return Hex.encode(Schnorr.signer().sign(Digests.sha256(message(quote, outputs)), key.toBytes(), aux));
  }

  /** The mint's check. A malformed signature is simply invalid. */
  public static boolean verify(String quote, List<BlindedMessage> outputs, String signatureHex, Point pubkey) {
    if (signatureHex == null || signatureHex.length() != 128) return false;
    byte[] signature;
    try {
      signature = Hex.decode(signatureHex);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return Schnorr.verifier().verify(signature, Digests.sha256(message(quote, outputs)), pubkey.xOnly());
  }
}
