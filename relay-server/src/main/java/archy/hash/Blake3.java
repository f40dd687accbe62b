package archy.hash;

import static archy.hash.Blake3Compression.BLOCK_LEN;
import static archy.hash.Blake3Compression.CHUNK_END;
import static archy.hash.Blake3Compression.CHUNK_LEN;
import static archy.hash.Blake3Compression.CHUNK_START;
import static archy.hash.Blake3Compression.DERIVE_KEY_CONTEXT;
import static archy.hash.Blake3Compression.DERIVE_KEY_MATERIAL;
import static archy.hash.Blake3Compression.KEYED_HASH;
import static archy.hash.Blake3Compression.OUT_LEN;
import static archy.hash.Blake3Compression.PARENT;
import static archy.hash.Blake3Compression.ROOT;
import static archy.hash.Blake3Compression.compress;
import static archy.hash.Blake3Compression.iv;
import static archy.hash.Blake3Compression.readWords;
import static archy.hash.Blake3Compression.writeWords;

import archy.nostr.Hex;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * BLAKE3 in plain Java: an incremental hasher for the hash, keyed_hash and derive_key modes with
 * output of any length, plus the tree's node functions for verified streaming. We have our own
 * because BouncyCastle's {@code Blake3Digest} is several times slower and hides the chaining values
 * a bao outboard is built from.
 *
 * <h2>The tree</h2>
 * The input is cut into 1024-byte chunks numbered from 0; only the last chunk may be shorter, and only
 * the empty input has an empty chunk. A chunk's chaining value, {@link #chunkChainingValue}, depends on
 * its bytes and its index (the chunk counter) in the whole input. Chunks are the leaves of a binary
 * tree: over {@code n > 1} chunks the left subtree holds the largest power of two of chunks strictly
 * less than {@code n} and the right subtree the rest, so every left subtree is complete and only the
 * rightmost path is ragged. A parent's chaining value, {@link #parentChainingValue}, depends only on
 * its two children's. The root is finalized differently from every other node, so a subtree's value
 * can never pass for a whole input's hash: for one chunk the hash is {@link #rootHash(byte[], int, int)}
 * of the input, otherwise {@link #rootHash(byte[], byte[])} of the root's two children. Example for 5
 * chunks: {@code rootHash(parent(parent(c0, c1), parent(c2, c3)), c4)}. So a verifier holding the
 * chaining values of a chunk's siblings along its path (what a bao outboard stores) checks the chunk
 * with {@code chunkChainingValue}, then {@code parentChainingValue} up to the root's children, then
 * {@code rootHash}. These static functions are the unkeyed mode; the hasher also does keyed_hash and
 * derive_key, which use other key words and flags in the same tree.
 *
 * <p>A hasher is not thread-safe. {@link #digest} does not end the input: more may follow, and the
 * next digest covers all of it; {@link #reset} starts over with the same mode and key.
 */
public final class Blake3 {
  /** 2^64 bytes of input is 2^54 chunks, so the stack never holds more subtrees than that. */
  private static final int MAX_DEPTH = 54;
  /** Below this many whole chunks a batch's loop overhead outweighs its width. */
  private static final int MIN_BATCH = 12;
  private static final int BATCH_BYTES = Blake3ChunkBatch.LANES * CHUNK_LEN;

  private final int[] key;
  private final int modeFlags;
  /** Chunks already in the stack; the first pending byte begins chunk number {@code chunkCounter}. */
  private long chunkCounter;
  /**
   * Input not yet compressed, from a chunk boundary. Pieces too small to batch in place are gathered
   * here up to a whole batch, so uploads streamed in network-sized pieces get the batch speed too; it
   * starts at one chunk and doubles, so short inputs stay cheap.
   */
  private byte[] pending = new byte[CHUNK_LEN];
  private int pendingLen;
  /**
   * Chaining values of complete left subtrees, bottom first, as little-endian bytes rather than ints:
   * a new value is written to the slot above the top, so a parent's 64-byte block is already laid out
   * as left || right and goes through the same compression as chunk blocks, with no copying.
   */
  private final byte[] cvStack = new byte[(MAX_DEPTH + 1) * OUT_LEN];
  private int stackDepth;
  private final int[] cv = new int[8];
  private final int[] parentOut = new int[8];
  private Blake3ChunkBatch batch;
  private byte[] directBufferCopy;

  /** The plain hash mode. */
  public Blake3() {
    this(iv(), 0);
  }

  private Blake3(int[] key, int modeFlags) {
    this.key = key;
    this.modeFlags = modeFlags;
  }

  /** The keyed_hash mode, a MAC under a 32-byte key. */
  public static Blake3 keyed(byte[] key) {
    if (key.length != OUT_LEN) throw new IllegalArgumentException("BLAKE3 key must be 32 bytes");
    return new Blake3(readWords(key, 0, 8), KEYED_HASH);
  }

  /** The derive_key mode: the key material is the input, {@code context} a hard-coded, unique string. */
  public static Blake3 deriveKey(String context) {
    Blake3 contextHasher = new Blake3(iv(), DERIVE_KEY_CONTEXT);
    contextHasher.update(context.getBytes(StandardCharsets.UTF_8));
    return new Blake3(readWords(contextHasher.digest(), 0, 8), DERIVE_KEY_MATERIAL);
  }

  public static byte[] hash(byte[] input) {
    Blake3 hasher = new Blake3();
    hasher.update(input);
    return hasher.digest();
  }

  /** The lowercase hex of {@link #hash}. */
  public static String hex(byte[] input) {
    return Hex.encode(hash(input));
  }

  public void reset() {
    chunkCounter = 0;
    pendingLen = 0;
    stackDepth = 0;
  }

  public void update(byte[] input) {
    update(input, 0, input.length);
  }

  public void update(byte[] input, int off, int len) {
    Objects.checkFromIndexSize(off, len, input.length);
    // A chunk is compressed only once more input is known to follow: the last chunk of the input is
    // finalized differently, and as the root when it is the only one.
    while (len > 0) {
      boolean enoughInPlace = len > MIN_BATCH * CHUNK_LEN;
      if (pendingLen == pending.length) {
        if (pending.length < BATCH_BYTES && !enoughInPlace) {
          pending = Arrays.copyOf(pending, Math.min(2 * pending.length, BATCH_BYTES));
        } else {
          compressChunks(pending, 0, pendingLen / CHUNK_LEN);
          pendingLen = 0;
        }
      }
      if (enoughInPlace && pendingLen % CHUNK_LEN == 0) {
        compressChunks(pending, 0, pendingLen / CHUNK_LEN);
        pendingLen = 0;
        int chunks = (len - 1) / CHUNK_LEN;
        compressChunks(input, off, chunks);
        off += chunks * CHUNK_LEN;
        len -= chunks * CHUNK_LEN;
      }
      int room = pending.length - pendingLen;
      // With a batch still to come, fill only to the chunk boundary and take the rest in place.
      if (enoughInPlace) room = Math.min(room, CHUNK_LEN - pendingLen % CHUNK_LEN);
      int take = Math.min(len, room);
      System.arraycopy(input, off, pending, pendingLen, take);
      pendingLen += take;
      off += take;
      len -= take;
    }
  }

  /** Consumes the buffer's remaining bytes. */
  public void update(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      update(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      buffer.position(buffer.limit());
      return;
    }
    // Copying a direct buffer runs at memory speed, far above hashing, and keeps one compression path.
    if (directBufferCopy == null) directBufferCopy = new byte[BATCH_BYTES + CHUNK_LEN];
    while (buffer.hasRemaining()) {
      int n = Math.min(directBufferCopy.length, buffer.remaining());
      buffer.get(directBufferCopy, 0, n);
      update(directBufferCopy, 0, n);
    }
  }

  /** The 32-byte hash of everything so far. */
  public byte[] digest() {
    return digest(OUT_LEN);
  }

  /** {@code outLen} bytes of extended output; a shorter output is a prefix of a longer one. */
  public byte[] digest(int outLen) {
    if (outLen < 0) throw new IllegalArgumentException("negative output length");
    if (pendingLen > CHUNK_LEN) {
      // Whole chunks before the last are not the root whatever follows, so they may go to the stack.
      int whole = (pendingLen - 1) / CHUNK_LEN;
      compressChunks(pending, 0, whole);
      pendingLen -= whole * CHUNK_LEN;
      System.arraycopy(pending, whole * CHUNK_LEN, pending, 0, pendingLen);
    }
    int[] lastCv = new int[8];
    int lastOff = chunkBody(key, modeFlags, pending, 0, pendingLen, chunkCounter, lastCv);
    int lastLen = pendingLen - lastOff;
    byte[] lastBlock = paddedBlock(pending, lastOff, lastLen);
    int lastFlags = lastBlockFlags(modeFlags, pendingLen);
    if (stackDepth == 0) return rootOutput(lastCv, lastBlock, 0, lastLen, lastFlags, outLen);
    // Fold the ragged right edge into a private block so the stack stays usable for more input.
    int[] right = lastCv;
    compress(lastCv, lastBlock, 0, chunkCounter, lastLen, lastFlags, right);
    byte[] pair = new byte[BLOCK_LEN];
    for (int i = stackDepth - 1; ; i--) {
      System.arraycopy(cvStack, i * OUT_LEN, pair, 0, OUT_LEN);
      writeWords(right, 8, pair, OUT_LEN);
      if (i == 0) return rootOutput(key, pair, 0, BLOCK_LEN, modeFlags | PARENT, outLen);
      compress(key, pair, 0, 0, BLOCK_LEN, modeFlags | PARENT, right);
    }
  }

  /** Compresses whole chunks that are known not to be the last of the input and stacks their values. */
  private void compressChunks(byte[] input, int off, int chunks) {
    while (chunks >= MIN_BATCH) {
      int n = Math.min(chunks, Blake3ChunkBatch.LANES);
      if (batch == null) batch = new Blake3ChunkBatch();
      batch.hash(key, modeFlags, input, off, n, chunkCounter);
      for (int lane = 0; lane < n; lane++) {
        batch.chainingValue(lane, cv);
        pushChunk();
      }
      off += n * CHUNK_LEN;
      chunks -= n;
    }
    for (; chunks > 0; chunks--, off += CHUNK_LEN) {
      int lastOff = chunkBody(key, modeFlags, input, off, CHUNK_LEN, chunkCounter, cv);
      compress(cv, input, lastOff, chunkCounter, BLOCK_LEN, lastBlockFlags(modeFlags, CHUNK_LEN), cv);
      pushChunk();
    }
  }

  /**
   * Pushes the finished chunk's value in {@code cv} and merges every subtree it completes. Merging
   * now is safe because more input follows, so none of these parents is the root.
   */
  private void pushChunk() {
    int slot = stackDepth;
    writeWords(cv, 8, cvStack, slot * OUT_LEN);
    for (long total = ++chunkCounter; (total & 1) == 0; total >>>= 1) {
      slot--;
      compress(key, cvStack, slot * OUT_LEN, 0, BLOCK_LEN, modeFlags | PARENT, parentOut);
      writeWords(parentOut, 8, cvStack, slot * OUT_LEN);
    }
    stackDepth = slot + 1;
  }

  /** The chaining value of chunk number {@code chunkCounter}, 1 to 1024 bytes; never the root. */
  public static byte[] chunkChainingValue(byte[] input, int off, int len, long chunkCounter) {
    Objects.checkFromIndexSize(off, len, input.length);
    if (len == 0 || len > CHUNK_LEN) throw new IllegalArgumentException("a chunk is 1 to 1024 bytes");
    return finishChunk(input, off, len, chunkCounter, 0);
  }

  /** The chaining value of a parent of two subtrees; never the root. */
  public static byte[] parentChainingValue(byte[] leftCv, byte[] rightCv) {
    int[] out = new int[8];
    compress(iv(), pair(leftCv, rightCv), 0, 0, BLOCK_LEN, PARENT, out);
    return toBytes(out);
  }

  /** The hash of an input of at most one chunk, which is its own root. */
  public static byte[] rootHash(byte[] input, int off, int len) {
    Objects.checkFromIndexSize(off, len, input.length);
    if (len > CHUNK_LEN) throw new IllegalArgumentException("a chunk is at most 1024 bytes");
    return finishChunk(input, off, len, 0, ROOT);
  }

  /** The hash of an input of more than one chunk, from the chaining values of the root's children. */
  public static byte[] rootHash(byte[] leftCv, byte[] rightCv) {
    int[] out = new int[8];
    compress(iv(), pair(leftCv, rightCv), 0, 0, BLOCK_LEN, PARENT | ROOT, out);
    return toBytes(out);
  }

  /**
   * One chunk's 32-byte value in the unkeyed mode, as root when {@code rootFlag} is set; a root chunk is
   * chunk 0, which is also the counter of the first output block.
   */
  private static byte[] finishChunk(byte[] input, int off, int len, long counter, int rootFlag) {
    int[] words = new int[8];
    int lastOff = chunkBody(iv(), 0, input, off, len, counter, words);
    int lastLen = off + len - lastOff;
    byte[] last = paddedBlock(input, lastOff, lastLen);
    compress(words, last, 0, counter, lastLen, lastBlockFlags(0, len) | rootFlag, words);
    return toBytes(words);
  }

  /**
   * Compresses every block of a chunk of {@code len} bytes but the last into {@code cv} and returns
   * where the last block starts; that block decides between chaining value and root output.
   */
  private static int chunkBody(int[] key, int modeFlags, byte[] input, int off, int len, long counter,
      int[] cv) {
    System.arraycopy(key, 0, cv, 0, 8);
    int blocks = len == 0 ? 0 : (len - 1) / BLOCK_LEN;
    for (int i = 0; i < blocks; i++) {
      int flags = modeFlags | (i == 0 ? CHUNK_START : 0);
      compress(cv, input, off + i * BLOCK_LEN, counter, BLOCK_LEN, flags, cv);
    }
    return off + blocks * BLOCK_LEN;
  }

  private static int lastBlockFlags(int modeFlags, int chunkLen) {
    return modeFlags | CHUNK_END | (chunkLen <= BLOCK_LEN ? CHUNK_START : 0);
  }

  private static byte[] paddedBlock(byte[] input, int off, int len) {
    byte[] block = new byte[BLOCK_LEN];
    System.arraycopy(input, off, block, 0, len);
    return block;
  }

  /** Extended output: the root node compressed again for each 64-byte output block. */
  private static byte[] rootOutput(int[] cv, byte[] block, int off, int blockLen, int flags, int outLen) {
    byte[] out = new byte[outLen];
    byte[] outBlock = new byte[BLOCK_LEN];
    int[] words = new int[16];
    for (int pos = 0, counter = 0; pos < outLen; pos += BLOCK_LEN, counter++) {
      compress(cv, block, off, counter, blockLen, flags | ROOT, words);
      writeWords(words, 16, outBlock, 0);
      System.arraycopy(outBlock, 0, out, pos, Math.min(BLOCK_LEN, outLen - pos));
    }
    return out;
  }

  private static byte[] pair(byte[] leftCv, byte[] rightCv) {
    if (leftCv.length != OUT_LEN || rightCv.length != OUT_LEN) {
      throw new IllegalArgumentException("a chaining value is 32 bytes");
    }
    byte[] pair = Arrays.copyOf(leftCv, BLOCK_LEN);
    System.arraycopy(rightCv, 0, pair, OUT_LEN, OUT_LEN);
    return pair;
  }

  private static byte[] toBytes(int[] words) {
    byte[] bytes = new byte[OUT_LEN];
    writeWords(words, 8, bytes, 0);
    return bytes;
  }
}
