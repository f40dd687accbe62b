package archy.ecash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The official NUT test vectors, transcribed from cashubtc/nuts {@code tests/*.md} (MIT) into
 * {@code src/test/resources/vectors/nutNN.json}; each file names its source file and commit.
 */
public final class Vectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Vectors() {}

  public static JsonNode load(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name + ".json")) {
      if (in == null) throw new IllegalStateException("missing vector file " + name);
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectMapper json() {
    return JSON;
  }
}
