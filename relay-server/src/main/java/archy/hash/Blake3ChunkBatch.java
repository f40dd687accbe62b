package archy.hash;

import static archy.hash.Blake3Compression.BLOCK_LEN;
import static archy.hash.Blake3Compression.CHUNK_END;
import static archy.hash.Blake3Compression.CHUNK_LEN;
import static archy.hash.Blake3Compression.CHUNK_START;
import static archy.hash.Blake3Compression.IV0;
import static archy.hash.Blake3Compression.IV1;
import static archy.hash.Blake3Compression.IV2;
import static archy.hash.Blake3Compression.IV3;
import static archy.hash.Blake3Compression.readWord;
import static java.lang.Integer.rotateRight;

import java.util.Arrays;

/**
 * Chaining values of many whole chunks at once, each chunk in its own lane. Chunks are independent
 * until their parents, so this is the SIMD layout of the reference implementation's hash_many, in
 * plain Java: word {@code k} of every lane sits in one {@code int[]}, and each step of the G function
 * is a loop over lanes that C2 turns into vector instructions. It runs two to three times faster than
 * {@link Blake3Compression#compress} on one chunk at a time once there are a dozen or more chunks.
 * Without vectorization (another JIT, an interpreter) it is still correct, only slower.
 */
final class Blake3ChunkBatch {
  /** 64 KiB of input per batch: wider loops amortize the loop overhead, and the state stays in L1. */
  static final int LANES = 64;
  private static final int BLOCKS_PER_CHUNK = CHUNK_LEN / BLOCK_LEN;
  private static final int[] PERMUTATION = {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8};
  /** The message word order of each round: round r uses the permutation applied r times. */
  private static final int[][] SCHEDULE = new int[7][];

  static {
    int[] order = new int[16];
    for (int i = 0; i < 16; i++) order[i] = i;
    for (int round = 0; round < 7; round++) {
      SCHEDULE[round] = order;
      int[] next = new int[16];
      for (int i = 0; i < 16; i++) next[i] = order[PERMUTATION[i]];
      order = next;
    }
  }

  private final int[][] v = new int[16][LANES];
  private final int[][] m = new int[16][LANES];
  private final int[] counterLow = new int[LANES];
  private final int[] counterHigh = new int[LANES];

  /**
   * Compresses {@code chunks} (at most {@link #LANES}) whole chunks at {@code input[off]}, numbered from
   * {@code counter}; none is the root. Read the results with {@link #chainingValue}.
   */
  void hash(int[] key, int modeFlags, byte[] input, int off, int chunks, long counter) {
    for (int k = 0; k < 8; k++) Arrays.fill(v[k], 0, chunks, key[k]);
    for (int i = 0; i < chunks; i++) {
      counterLow[i] = (int) (counter + i);
      counterHigh[i] = (int) ((counter + i) >>> 32);
    }
    for (int block = 0; block < BLOCKS_PER_CHUNK; block++) {
      for (int k = 0; k < 16; k++) {
        int[] words = m[k];
        int at = off + block * BLOCK_LEN + 4 * k;
        for (int i = 0; i < chunks; i++) words[i] = readWord(input, at + i * CHUNK_LEN);
      }
      int flags = modeFlags | (block == 0 ? CHUNK_START : 0) | (block == BLOCKS_PER_CHUNK - 1 ? CHUNK_END : 0);
      Arrays.fill(v[8], 0, chunks, IV0);
      Arrays.fill(v[9], 0, chunks, IV1);
      Arrays.fill(v[10], 0, chunks, IV2);
      Arrays.fill(v[11], 0, chunks, IV3);
      System.arraycopy(counterLow, 0, v[12], 0, chunks);
      System.arraycopy(counterHigh, 0, v[13], 0, chunks);
      Arrays.fill(v[14], 0, chunks, BLOCK_LEN);
      Arrays.fill(v[15], 0, chunks, flags);
      rounds(chunks);
      for (int k = 0; k < 8; k++) {
        int[] low = v[k], high = v[k + 8];
        for (int i = 0; i < chunks; i++) low[i] ^= high[i];
      }
    }
  }

  /** The chaining value of chunk {@code lane} of the last batch. */
  void chainingValue(int lane, int[] out) {
    for (int k = 0; k < 8; k++) out[k] = v[k][lane];
  }

  private void rounds(int n) {
    int[][] v = this.v, m = this.m;
    for (int[] s : SCHEDULE) {
      g(n, v[0], v[4], v[8], v[12], m[s[0]], m[s[1]]);
      g(n, v[1], v[5], v[9], v[13], m[s[2]], m[s[3]]);
      g(n, v[2], v[6], v[10], v[14], m[s[4]], m[s[5]]);
      g(n, v[3], v[7], v[11], v[15], m[s[6]], m[s[7]]);
      g(n, v[0], v[5], v[10], v[15], m[s[8]], m[s[9]]);
      g(n, v[1], v[6], v[11], v[12], m[s[10]], m[s[11]]);
      g(n, v[2], v[7], v[8], v[13], m[s[12]], m[s[13]]);
      g(n, v[3], v[4], v[9], v[14], m[s[14]], m[s[15]]);
    }
  }

  /** The G function in {@code n} lanes; one loop per call keeps the body small enough to vectorize. */
  private static void g(int n, int[] a, int[] b, int[] c, int[] d, int[] mx, int[] my) {
    for (int i = 0; i < n; i++) {
      int va = a[i], vb = b[i], vc = c[i], vd = d[i];
      va += vb + mx[i];
      vd = rotateRight(vd ^ va, 16);
      vc += vd;
      vb = rotateRight(vb ^ vc, 12);
      va += vb + my[i];
      vd = rotateRight(vd ^ va, 8);
      vc += vd;
      vb = rotateRight(vb ^ vc, 7);
      a[i] = va;
      b[i] = vb;
      c[i] = vc;
      d[i] = vd;
    }
  }
}
