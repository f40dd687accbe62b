package archy.film.did;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The creator key file of {@code archy film keygen --creator}: round trip, signatures the verifier accepts. */
class CreatorKeyTest {
  @TempDir Path dir;

  @Test
  void writtenKeysReadBackAndSignWhatTheirDidKeyVerifies() throws Exception {
    CreatorKey key = CreatorKey.generate();
    Path file = dir.resolve("creator.key");
    key.write(file);
    assertThrows(FileAlreadyExistsException.class, () -> key.write(file), "never overwritten");
    CreatorKey read = CreatorKey.read(file);
    assertEquals(key.did(), read.did());
    assertTrue(read.did().did().startsWith("did:key:z6Mk"));
    byte[] message = "archy-film/v1\nd".getBytes(StandardCharsets.UTF_8);
    assertTrue(DidKey.parse(read.did().did()).verify(message, read.sign(message)));
  }

  @Test
  void aSeedThatIsNotTheDidsIsRefused() throws Exception {
    Path file = dir.resolve("tampered.key");
    Files.writeString(file, CreatorKey.generate().did().did() + "\n" + "ab".repeat(32) + "\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CreatorKey.read(file));
    assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
  }
}
