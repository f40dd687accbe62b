package archy.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archy.nostr.Hex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Blake3Test {
  /** The official vectors, {@code test_vectors/test_vectors.json} of BLAKE3-team/BLAKE3, verbatim. */
  private static final JsonNode VECTORS = loadVectors();
  private static final int[] PIECE_SIZES = {1, 7, 63, 64, 65, 1023, 1024, 1025};

  private static JsonNode loadVectors() {
    try (InputStream in = Blake3Test.class.getResourceAsStream("/blake3-test-vectors.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<JsonNode> cases() {
    List<JsonNode> cases = new ArrayList<>();
    VECTORS.get("cases").forEach(cases::add);
    return cases.stream();
  }

  /** The vectors' input: the bytes 0, 1, ..., 250 repeated. */
  private static byte[] input(int len) {
    byte[] input = new byte[len];
    for (int i = 0; i < len; i++) input[i] = (byte) (i % 251);
    return input;
  }

  private static byte[] vectorKey() {
    return VECTORS.get("key").asText().getBytes(StandardCharsets.US_ASCII);
  }

  private static void assertOutputs(String expectedHex, Blake3 hasher) {
    byte[] expected = Hex.decode(expectedHex);
    assertEquals(131, expected.length);
    assertArrayEquals(expected, hasher.digest(expected.length));
    assertArrayEquals(Arrays.copyOf(expected, 32), hasher.digest());
    assertArrayEquals(Arrays.copyOf(expected, 7), hasher.digest(7));
  }

  @ParameterizedTest(name = "input_len {0}")
  @MethodSource("cases")
  void officialVectorsHash(JsonNode c) {
    byte[] input = input(c.get("input_len").asInt());
    Blake3 hasher = new Blake3();
    hasher.update(input);
    assertOutputs(c.get("hash").asText(), hasher);
    assertEquals(c.get("hash").asText().substring(0, 64), Blake3.hex(input));
    assertArrayEquals(Hex.decode(c.get("hash").asText().substring(0, 64)), Blake3.hash(input));
  }

  @ParameterizedTest(name = "input_len {0}")
  @MethodSource("cases")
  void officialVectorsKeyedHash(JsonNode c) {
    Blake3 hasher = Blake3.keyed(vectorKey());
    hasher.update(input(c.get("input_len").asInt()));
    assertOutputs(c.get("keyed_hash").asText(), hasher);
  }

  @ParameterizedTest(name = "input_len {0}")
  @MethodSource("cases")
  void officialVectorsDeriveKey(JsonNode c) {
    Blake3 hasher = Blake3.deriveKey(VECTORS.get("context_string").asText());
    hasher.update(input(c.get("input_len").asInt()));
    assertOutputs(c.get("derive_key").asText(), hasher);
  }

  @ParameterizedTest(name = "input_len {0}")
  @MethodSource("cases")
  void piecesOfAnySizeGiveTheSameOutput(JsonNode c) {
    byte[] input = input(c.get("input_len").asInt());
    byte[] expected = Hex.decode(c.get("hash").asText());
    for (int piece : PIECE_SIZES) {
      Blake3 hasher = new Blake3();
      for (int off = 0; off < input.length; off += piece) {
        hasher.update(input, off, Math.min(piece, input.length - off));
      }
      assertArrayEquals(expected, hasher.digest(expected.length), "pieces of " + piece);

      Blake3 keyed = Blake3.keyed(vectorKey());
      for (int off = 0; off < input.length; off += piece) {
        keyed.update(input, off, Math.min(piece, input.length - off));
      }
      assertArrayEquals(Hex.decode(c.get("keyed_hash").asText()), keyed.digest(131), "keyed pieces of " + piece);
    }
  }

  @ParameterizedTest(name = "input_len {0}")
  @MethodSource("cases")
  void byteBuffersGiveTheSameOutput(JsonNode c) {
    byte[] input = input(c.get("input_len").asInt());
    byte[] expected = Hex.decode(c.get("hash").asText());
    for (int piece : PIECE_SIZES) {
      // A slice of a larger heap array, a direct buffer and a read-only buffer: the three paths.
      byte[] padded = new byte[input.length + 10];
      System.arraycopy(input, 0, padded, 3, input.length);
      ByteBuffer heap = ByteBuffer.wrap(padded, 3, input.length).slice();
      ByteBuffer direct = ByteBuffer.allocateDirect(input.length).put(input).flip();
      ByteBuffer readOnly = ByteBuffer.wrap(input).asReadOnlyBuffer();
      for (ByteBuffer buffer : List.of(heap, direct, readOnly)) {
        Blake3 hasher = new Blake3();
        while (buffer.hasRemaining()) {
          ByteBuffer part = buffer.slice().limit(Math.min(piece, buffer.remaining()));
          hasher.update(part);
          assertEquals(0, part.remaining());
          buffer.position(buffer.position() + part.position());
        }
        assertArrayEquals(expected, hasher.digest(expected.length), "buffer pieces of " + piece);
      }
    }
  }

  @Test
  void wholeDirectBufferInOneCall() {
    byte[] input = input(102400);
    ByteBuffer direct = ByteBuffer.allocateDirect(input.length).put(input).flip();
    Blake3 hasher = new Blake3();
    hasher.update(direct);
    assertEquals(input.length, direct.position());
    assertArrayEquals(Blake3.hash(input), hasher.digest());
  }

  @ParameterizedTest(name = "{0} chunks")
  @ValueSource(ints = {1, 2, 3, 4, 5, 9})
  void treeFromNodeFunctionsReproducesTheHash(int chunks) {
    byte[] full = input(chunks * 1024);
    assertArrayEquals(Blake3.hash(full), rootOf(full, 0, chunks));
    byte[] shortLast = input(chunks * 1024 - 100);
    assertArrayEquals(Blake3.hash(shortLast), rootOf(shortLast, 0, chunks));
    byte[] oneByteLast = input((chunks - 1) * 1024 + 1);
    assertArrayEquals(Blake3.hash(oneByteLast), rootOf(oneByteLast, 0, chunks));
  }

  @Test
  void treeMatchesOfficialVectorForFiveChunks() {
    byte[] input = input(4097);
    JsonNode c = cases().filter(v -> v.get("input_len").asInt() == 4097).findFirst().orElseThrow();
    assertEquals(c.get("hash").asText().substring(0, 64), Hex.encode(rootOf(input, 0, 5)));
    assertEquals(Blake3.hex(new byte[0]), Hex.encode(Blake3.rootHash(new byte[0], 0, 0)));
  }

  /** The root of the whole input, built by the spec's rule from chunk and parent values. */
  private static byte[] rootOf(byte[] input, int firstChunk, int chunks) {
    if (chunks == 1) return Blake3.rootHash(input, 0, input.length);
    int left = Integer.highestOneBit(chunks - 1);
    return Blake3.rootHash(cvOf(input, firstChunk, left), cvOf(input, firstChunk + left, chunks - left));
  }

  private static byte[] cvOf(byte[] input, int firstChunk, int chunks) {
    if (chunks == 1) {
      int off = firstChunk * 1024;
      return Blake3.chunkChainingValue(input, off, Math.min(1024, input.length - off), firstChunk);
    }
    int left = Integer.highestOneBit(chunks - 1);
    return Blake3.parentChainingValue(cvOf(input, firstChunk, left), cvOf(input, firstChunk + left, chunks - left));
  }

  @Test
  void agreesWithBouncyCastleOnRandomInputs() {
    Random random = new Random(20240917);
    byte[] key = new byte[32];
    for (int round = 0; round < 300; round++) {
      byte[] input = new byte[round < 100 ? random.nextInt(2100) : random.nextInt(70_000)];
      random.nextBytes(input);
      int outLen = 1 + random.nextInt(300);
      random.nextBytes(key);
      int piece = 1 + random.nextInt(3000);

      Blake3 ours = new Blake3();
      Blake3 oursKeyed = Blake3.keyed(key);
      for (int off = 0; off < input.length; off += piece) {
        ours.update(input, off, Math.min(piece, input.length - off));
        oursKeyed.update(input, off, Math.min(piece, input.length - off));
      }
      assertArrayEquals(bouncyCastle(null, input, outLen), ours.digest(outLen), "length " + input.length);
      assertArrayEquals(bouncyCastle(key, input, outLen), oursKeyed.digest(outLen), "keyed length " + input.length);
    }
  }

  /** Lengths around the batch thresholds, one-shot and streamed, to hit every way input is taken. */
  @Test
  void agreesWithBouncyCastleAroundBatchBoundaries() {
    Random random = new Random(7);
    for (int chunks : new int[] {1, 2, 11, 12, 13, 14, 63, 64, 65, 66, 76, 77, 128, 129, 130}) {
      for (int delta = -1; delta <= 1; delta++) {
        byte[] input = new byte[chunks * 1024 + delta];
        random.nextBytes(input);
        byte[] expected = bouncyCastle(null, input, 32);
        assertArrayEquals(expected, Blake3.hash(input), "one-shot length " + input.length);
        for (int piece : new int[] {1000, 4096, 8192, 13 * 1024 + 1, 40_000}) {
          Blake3 hasher = new Blake3();
          for (int off = 0; off < input.length; off += piece) {
            hasher.update(input, off, Math.min(piece, input.length - off));
          }
          assertArrayEquals(expected, hasher.digest(), "length " + input.length + " in pieces of " + piece);
        }
      }
    }
  }

  private static byte[] bouncyCastle(byte[] key, byte[] input, int outLen) {
    Blake3Digest digest = new Blake3Digest();
    if (key != null) digest.init(Blake3Parameters.key(key));
    digest.update(input, 0, input.length);
    byte[] out = new byte[outLen];
    digest.doFinal(out, 0, outLen);
    return out;
  }

  @Test
  void digestLeavesTheStateForMoreInput() {
    byte[] input = input(5000);
    Blake3 hasher = new Blake3();
    hasher.update(input, 0, 3000);
    assertArrayEquals(Blake3.hash(Arrays.copyOf(input, 3000)), hasher.digest());
    hasher.update(input, 3000, 2000);
    assertArrayEquals(Blake3.hash(input), hasher.digest());
    hasher.reset();
    hasher.update(input, 0, 10);
    assertArrayEquals(Blake3.hash(Arrays.copyOf(input, 10)), hasher.digest());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> Blake3.keyed(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> Blake3.chunkChainingValue(new byte[1025], 0, 1025, 0));
    assertThrows(IllegalArgumentException.class, () -> Blake3.chunkChainingValue(new byte[0], 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> Blake3.parentChainingValue(new byte[32], new byte[31]));
    assertThrows(IndexOutOfBoundsException.class, () -> new Blake3().update(new byte[10], 5, 6));
    assertArrayEquals(new byte[0], new Blake3().digest(0));
  }
}
