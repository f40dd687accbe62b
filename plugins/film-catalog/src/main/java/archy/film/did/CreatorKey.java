package archy.film.did;

import archy.nostr.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A film creator's Ed25519 key (PROTOCOLS.md §2.3), kept in a small text file written by
 * {@code archy film keygen --creator}: comment lines, the {@code did:key}, and the 32-byte seed in hex. Reading
 * checks that the two belong together, so a file edited by hand cannot sign as someone else.
 */
public final class CreatorKey {
  private final byte[] seed;
  private final DidKey did;

  private CreatorKey(byte[] seed) {
    this.seed = seed.clone();
    this.did = DidKey.of(new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
  }

  public static CreatorKey generate() {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return new CreatorKey(seed);
  }

  public DidKey did() {
    return did;
  }

  /** Ed25519 (RFC 8032, pure) signature of {@code message}, 64 bytes. */
  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** Writes a new file readable by its owner only; an existing file is never overwritten. */
  public void write(Path file) throws IOException {
    String text = "# archy film creator key (Ed25519, PROTOCOLS.md 2.3). Keep it secret; the did:key is public.\n"
        + did.did() + "\n" + Hex.encode(seed) + "\n";
    Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the file system's own permissions apply.
    }
  }

  /** @throws IllegalArgumentException when the file is not a creator key file (the message says why) */
  public static CreatorKey read(Path file) throws IOException {
    String didText = null;
    String seedHex = null;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) continue;
      if (t.startsWith("did:key:")) {
        didText = t;
      } else if (Hex.isLowerHex(t, 64)) {
        seedHex = t;
      } else {
        throw new IllegalArgumentException(file + ": expected a did:key line and a 64-hex seed line");
      }
    }
    if (didText == null || seedHex == null) {
      throw new IllegalArgumentException(file + ": expected a did:key line and a 64-hex seed line");
    }
    CreatorKey key = new CreatorKey(Hex.decode(seedHex));
    if (!key.did.equals(DidKey.parse(didText))) {
      throw new IllegalArgumentException(file + ": the seed does not belong to " + didText);
    }
    return key;
  }
}
