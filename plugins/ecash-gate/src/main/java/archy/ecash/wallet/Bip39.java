package archy.ecash.wallet;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The BIP-39 seed of a mnemonic: PBKDF2-HMAC-SHA512 over the NFKD-normalized sentence, salt {@code "mnemonic" +
 * passphrase}, 2048 rounds, 64 bytes. The word list and checksum are not checked here (that needs the
 * 2048-word list); a mistyped word gives a different, valid-looking seed.
 */
final class Bip39 {
  private Bip39() {}

  static byte[] seed(String mnemonic, String passphrase) {
    String sentence = Normalizer.normalize(mnemonic.strip().replaceAll("\\s+", " "), Normalizer.Form.NFKD);
    String salt = Normalizer.normalize("mnemonic" + passphrase, Normalizer.Form.NFKD);
    PKCS5S2ParametersGenerator pbkdf2 = new PKCS5S2ParametersGenerator(new SHA512Digest());
    pbkdf2.init(sentence.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.UTF_8), 2048);
    return ((KeyParameter) pbkdf2.generateDerivedMacParameters(512)).getKey();
  }
}
