package archy.hash;

import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * Single-threaded throughput of our BLAKE3 against BouncyCastle's and the JDK's SHA-256, and of
 * BLAKE3 plus SHA-256 over the same bytes as an upload does. A main, not a test, so the build stays
 * fast: {@code java -cp target/classes:target/test-classes:<bcprov.jar> archy.hash.Blake3Benchmark}.
 */
final class Blake3Benchmark {
  private static final long SAMPLE_NANOS = 1_000_000_000L;
  private static long sink;

  private Blake3Benchmark() {}

  public static void main(String[] args) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    Blake3 ours = new Blake3();
    Blake3Digest bc = new Blake3Digest();
    byte[] out = new byte[32];
    Map<String, Hash> hashes = new LinkedHashMap<>();
    hashes.put("archy Blake3", (b, len) -> {
      ours.reset();
      ours.update(b, 0, len);
      sink += ours.digest()[0];
    });
    hashes.put("BouncyCastle Blake3Digest", (b, len) -> {
      bc.update(b, 0, len);
      bc.doFinal(out, 0);
      sink += out[0];
    });
    hashes.put("JDK SHA-256", (b, len) -> {
      sha256.update(b, 0, len);
      sink += sha256.digest()[0];
    });
    hashes.put("archy Blake3 + SHA-256", (b, len) -> {
      ours.reset();
      ours.update(b, 0, len);
      sha256.update(b, 0, len);
      sink += ours.digest()[0] + sha256.digest()[0];
    });
    // An upload as the server sees it: network-sized pieces through both digests.
    hashes.put("  same, fed 8 KiB at a time", (b, len) -> {
      ours.reset();
      for (int off = 0; off < len; off += 8192) {
        int n = Math.min(8192, len - off);
        ours.update(b, off, n);
        sha256.update(b, off, n);
      }
      sink += ours.digest()[0] + sha256.digest()[0];
    });

    byte[] data = new byte[1 << 20];
    new Random(1).nextBytes(data);
    int[] sizes = {1 << 20, 64 << 10, 1 << 10};
    System.out.println(Runtime.version() + "  " + System.getProperty("java.vm.name"));
    for (int round = 0; round < 2; round++) {
      System.out.println(round == 0 ? "warm-up" : "measured");
      for (var entry : hashes.entrySet()) {
        StringBuilder line = new StringBuilder(String.format("  %-27s", entry.getKey()));
        for (int size : sizes) {
          line.append(String.format("  %7s: %6.0f MB/s", label(size), rate(entry.getValue(), data, size)));
        }
        System.out.println(line);
      }
    }
    if (sink == 42) System.out.println();
  }

  /** Best of three one-second samples, in 10^6 bytes per second. */
  private static double rate(Hash hash, byte[] data, int size) {
    double best = 0;
    for (int sample = 0; sample < 3; sample++) {
      long bytes = 0;
      long start = System.nanoTime();
      long elapsed;
      do {
        for (int off = 0; off + size <= data.length; off += size) hash.run(data, size);
        bytes += data.length;
        elapsed = System.nanoTime() - start;
      } while (elapsed < SAMPLE_NANOS);
      best = Math.max(best, bytes * 1e3 / elapsed);
    }
    return best;
  }

  private static String label(int size) {
    return size >= 1 << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
  }

  @FunctionalInterface
  private interface Hash {
    void run(byte[] data, int len);
  }
}
