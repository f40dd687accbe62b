package archy.hash;

import static java.lang.Integer.rotateRight;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The BLAKE3 compression function and the constants of the spec, for one block at a time: the chunks
 * that do not fill a {@link Blake3ChunkBatch}, parents and root output. The seven rounds are written
 * out with the message schedule already applied and all words in int locals, which C2 keeps in
 * registers as far as it can; reading message words from an array inside the rounds measured slower.
 * Words are read little-endian straight from the caller's array, so no block is copied first.
 */
final class Blake3Compression {
  static final int BLOCK_LEN = 64;
  static final int CHUNK_LEN = 1024;
  static final int OUT_LEN = 32;

  static final int CHUNK_START = 1;
  static final int CHUNK_END = 1 << 1;
  static final int PARENT = 1 << 2;
  static final int ROOT = 1 << 3;
  static final int KEYED_HASH = 1 << 4;
  static final int DERIVE_KEY_CONTEXT = 1 << 5;
  static final int DERIVE_KEY_MATERIAL = 1 << 6;

  static final int IV0 = 0x6A09E667, IV1 = 0xBB67AE85, IV2 = 0x3C6EF372, IV3 = 0xA54FF53A;
  static final int IV4 = 0x510E527F, IV5 = 0x9B05688C, IV6 = 0x1F83D9AB, IV7 = 0x5BE0CD19;

  private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private Blake3Compression() {}

  /** A fresh copy of the IV, which is also the key words of the unkeyed modes. */
  static int[] iv() {
    return new int[] {IV0, IV1, IV2, IV3, IV4, IV5, IV6, IV7};
  }

  static int readWord(byte[] b, int off) {
    return (int) LE.get(b, off);
  }

  static void writeWords(int[] words, int count, byte[] b, int off) {
    for (int i = 0; i < count; i++) LE.set(b, off + 4 * i, words[i]);
  }

  static int[] readWords(byte[] b, int off, int count) {
    int[] words = new int[count];
    for (int i = 0; i < count; i++) words[i] = readWord(b, off + 4 * i);
    return words;
  }

  /**
   * Compresses the 64 bytes at {@code block[off]}. With an 8-word {@code out} this writes the next
   * chaining value; with 16 words it writes the full extended output a root node needs. {@code out}
   * may be {@code cv} itself.
   */
  static void compress(int[] cv, byte[] block, int off, long counter, int blockLen, int flags, int[] out) {
    int m0 = readWord(block, off), m1 = readWord(block, off + 4), m2 = readWord(block, off + 8);
    int m3 = readWord(block, off + 12), m4 = readWord(block, off + 16), m5 = readWord(block, off + 20);
    int m6 = readWord(block, off + 24), m7 = readWord(block, off + 28), m8 = readWord(block, off + 32);
    int m9 = readWord(block, off + 36), m10 = readWord(block, off + 40), m11 = readWord(block, off + 44);
    int m12 = readWord(block, off + 48), m13 = readWord(block, off + 52), m14 = readWord(block, off + 56);
    int m15 = readWord(block, off + 60);
    int h0 = cv[0], h1 = cv[1], h2 = cv[2], h3 = cv[3], h4 = cv[4], h5 = cv[5], h6 = cv[6], h7 = cv[7];
    int v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
    int v8 = IV0, v9 = IV1, v10 = IV2, v11 = IV3;
    int v12 = (int) counter, v13 = (int) (counter >>> 32), v14 = blockLen, v15 = flags;

    // Round 1: message words 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15.
    v0 += v4 + m0; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
    v0 += v4 + m1; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
    v1 += v5 + m2; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
    v1 += v5 + m3; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
    v2 += v6 + m4; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
    v2 += v6 + m5; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
    v3 += v7 + m6; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
    v3 += v7 + m7; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
    v0 += v5 + m8; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
    v0 += v5 + m9; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
    v1 += v6 + m10; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
    v1 += v6 + m11; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
    v2 += v7 + m12; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
    v2 += v7 + m13; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
    v3 += v4 + m14; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
    v3 += v4 + m15; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
    // Round 2: message words 2 6 3 10 7 0 4 13 1 11 12 5 9 14 15 8.
    v0 += v4 + m2; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
    v0 += v4 + m6; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
    v1 += v5 + m3; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
    v1 += v5 + m10; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
    v2 += v6 + m7; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
    v2 += v6 + m0; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
    v3 += v7 + m4; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
    v3 += v7 + m13; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
    v0 += v5 + m1; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
    v0 += v5 + m11; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
    v1 += v6 + m12; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
    v1 += v6 + m5; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
    v2 += v7 + m9; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
    v2 += v7 + m14; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
    v3 += v4 + m15; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
    v3 += v4 + m8; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
    // Round 3: message words 3 4 10 12 13 2 7 14 6 5 9 0 11 15 8 1.
    v0 += v4 + m3; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
    v0 += v4 + m4; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
    v1 += v5 + m10; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
    v1 += v5 + m12; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
    v2 += v6 + m13; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
    v2 += v6 + m2; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
    v3 += v7 + m7; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
    v3 += v7 + m14; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
    v0 += v5 + m6; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
    v0 += v5 + m5; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
    v1 += v6 + m9; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
    v1 += v6 + m0; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
    v2 += v7 + m11; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
    v2 += v7 + m15; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
    v3 += v4 + m8; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
    v3 += v4 + m1; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
    // Round 4: message words 10 7 12 9 14 3 13 15 4 0 11 2 5 8 1 6.
    v0 += v4 + m10; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
    v0 += v4 + m7; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
    v1 += v5 + m12; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
    v1 += v5 + m9; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
    v2 += v6 + m14; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
    v2 += v6 + m3; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
    v3 += v7 + m13; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
    v3 += v7 + m15; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
    v0 += v5 + m4; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
    v0 += v5 + m0; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
    v1 += v6 + m11; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
    v1 += v6 + m2; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
    v2 += v7 + m5; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
    v2 += v7 + m8; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
    v3 += v4 + m1; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
    v3 += v4 + m6; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
    // Round 5: message words 12 13 9 11 15 10 14 8 7 2 5 3 0 1 6 4.
    v0 += v4 + m12; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
    v0 += v4 + m13; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
    v1 += v5 + m9; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
    v1 += v5 + m11; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
    v2 += v6 + m15; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
    v2 += v6 + m10; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
    v3 += v7 + m14; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
    v3 += v7 + m8; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
    v0 += v5 + m7; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
    v0 += v5 + m2; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
    v1 += v6 + m5; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
    v1 += v6 + m3; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
    v2 += v7 + m0; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
    v2 += v7 + m1; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
    v3 += v4 + m6; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
    v3 += v4 + m4; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
    // Round 6: message words 9 14 11 5 8 12 15 1 13 3 0 10 2 6 4 7.
    v0 += v4 + m9; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
    v0 += v4 + m14; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
    v1 += v5 + m11; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
    v1 += v5 + m5; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
    v2 += v6 + m8; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
    v2 += v6 + m12; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
    v3 += v7 + m15; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
    v3 += v7 + m1; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
    v0 += v5 + m13; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
    v0 += v5 + m3; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
    v1 += v6 + m0; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
    v1 += v6 + m10; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
    v2 += v7 + m2; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
    v2 += v7 + m6; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
    v3 += v4 + m4; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
    v3 += v4 + m7; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
    // Round 7: message words 11 15 5 0 1 9 8 6 14 10 2 12 3 4 7 13.
    v0 += v4 + m11; v12 = rotateRight(v12 ^ v0, 16); v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
    v0 += v4 + m15; v12 = rotateRight(v12 ^ v0, 8); v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
    v1 += v5 + m5; v13 = rotateRight(v13 ^ v1, 16); v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
    v1 += v5 + m0; v13 = rotateRight(v13 ^ v1, 8); v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
    v2 += v6 + m1; v14 = rotateRight(v14 ^ v2, 16); v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
    v2 += v6 + m9; v14 = rotateRight(v14 ^ v2, 8); v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
    v3 += v7 + m8; v15 = rotateRight(v15 ^ v3, 16); v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
    v3 += v7 + m6; v15 = rotateRight(v15 ^ v3, 8); v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
    v0 += v5 + m14; v15 = rotateRight(v15 ^ v0, 16); v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
    v0 += v5 + m10; v15 = rotateRight(v15 ^ v0, 8); v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
    v1 += v6 + m2; v12 = rotateRight(v12 ^ v1, 16); v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
    v1 += v6 + m12; v12 = rotateRight(v12 ^ v1, 8); v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
    v2 += v7 + m3; v13 = rotateRight(v13 ^ v2, 16); v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
    v2 += v7 + m4; v13 = rotateRight(v13 ^ v2, 8); v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
    v3 += v4 + m7; v14 = rotateRight(v14 ^ v3, 16); v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
    v3 += v4 + m13; v14 = rotateRight(v14 ^ v3, 8); v9 += v14; v4 = rotateRight(v4 ^ v9, 7);

    if (out.length >= 16) {
      out[8] = v8 ^ h0; out[9] = v9 ^ h1; out[10] = v10 ^ h2; out[11] = v11 ^ h3;
      out[12] = v12 ^ h4; out[13] = v13 ^ h5; out[14] = v14 ^ h6; out[15] = v15 ^ h7;
    }
    out[0] = v0 ^ v8; out[1] = v1 ^ v9; out[2] = v2 ^ v10; out[3] = v3 ^ v11;
    out[4] = v4 ^ v12; out[5] = v5 ^ v13; out[6] = v6 ^ v14; out[7] = v7 ^ v15;
  }
}
