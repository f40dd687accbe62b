package archy.negentropy;

import archy.nostr.Hex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The sorted-vector storage of the negentropy reference: records (timestamp, 32-byte id) in ascending order,
 * ids packed in one array so a fingerprint is a linear pass with no per-record objects. Built with
 * {@link Builder}, immutable afterwards.
 */
public final class Storage {
  static final int ID_SIZE = 32;
  static final int FINGERPRINT_SIZE = 16;

  private final long[] timestamps;
  private final byte[] ids;
  private final ByteBuffer littleEndian;

  private Storage(long[] timestamps, byte[] ids) {
    this.timestamps = timestamps;
    this.ids = ids;
    this.littleEndian = ByteBuffer.wrap(ids).order(ByteOrder.LITTLE_ENDIAN);
  }

  public int size() {
    return timestamps.length;
  }

  long timestamp(int i) {
    return timestamps[i];
  }

  byte[] id(int i) {
    return Arrays.copyOfRange(ids, i * ID_SIZE, (i + 1) * ID_SIZE);
  }

  void writeId(int i, Wire.Writer out) {
    out.writeBytes(ids, i * ID_SIZE, ID_SIZE);
  }

  /** Index of the first record in [begin, end) not below {@code bound} (end when none). */
  int lowerBound(int begin, int end, Bound bound) {
    int lo = begin;
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(mid, bound) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Record {@code i} against a bound: timestamps first, then ids lexically with the prefix shorter-first. */
  private int compare(int i, Bound bound) {
    int byTime = Long.compare(timestamps[i], bound.timestamp());
    if (byTime != 0) return byTime;
    return Arrays.compareUnsigned(ids, i * ID_SIZE, (i + 1) * ID_SIZE, bound.idPrefix(), 0, bound.idPrefix().length);
  }

  /**
   * The v1 fingerprint of [begin, end): the ids summed as 256-bit little-endian integers mod 2^256, followed by
   * the varint count, hashed with SHA-256, first 16 bytes.
   */
  byte[] fingerprint(int begin, int end) {
    long[] sum = new long[4];
    for (int i = begin; i < end; i++) {
      long carry = 0;
      for (int w = 0; w < 4; w++) {
        long a = sum[w];
        long b = littleEndian.getLong(i * ID_SIZE + w * 8);
        long s = a + b;
        long c1 = Long.compareUnsigned(s, a) < 0 ? 1 : 0;
        long s2 = s + carry;
        long c2 = Long.compareUnsigned(s2, s) < 0 ? 1 : 0;
        sum[w] = s2;
        carry = c1 | c2;
      }
    }
    ByteBuffer acc = ByteBuffer.allocate(ID_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    for (long w : sum) acc.putLong(w);
    Wire.Writer input = new Wire.Writer();
    input.writeBytes(acc.array());
    input.writeVarint(end - begin);
    return Arrays.copyOf(sha256().digest(input.toByteArray()), FINGERPRINT_SIZE);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Collects records in any order; {@link #seal()} sorts them and refuses duplicates. */
  public static final class Builder {
    private long[] timestamps = new long[64];
    private byte[] ids = new byte[64 * ID_SIZE];
    private int size;

    public int size() {
      return size;
    }

    public Builder add(long timestamp, String hexId) {
      if (hexId.length() != ID_SIZE * 2) throw new IllegalArgumentException("an id is 32 bytes of hex");
      return add(timestamp, Hex.decode(hexId));
    }

    public Builder add(long timestamp, byte[] id) {
      if (id.length != ID_SIZE) throw new IllegalArgumentException("an id is 32 bytes");
      if (timestamp < 0 || timestamp == Wire.INFINITY) throw new IllegalArgumentException("timestamp out of range");
      if (size == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, size * 2);
        ids = Arrays.copyOf(ids, size * 2 * ID_SIZE);
      }
      timestamps[size] = timestamp;
      System.arraycopy(id, 0, ids, size * ID_SIZE, ID_SIZE);
      size++;
      return this;
    }

    public Storage seal() {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) order[i] = i;
      Arrays.sort(order, (a, b) -> {
        int byTime = Long.compare(timestamps[a], timestamps[b]);
        return byTime != 0 ? byTime : Arrays.compareUnsigned(ids, a * ID_SIZE, (a + 1) * ID_SIZE,
            ids, b * ID_SIZE, (b + 1) * ID_SIZE);
      });
      long[] sortedTimes = new long[size];
      byte[] sortedIds = new byte[size * ID_SIZE];
      for (int i = 0; i < size; i++) {
        sortedTimes[i] = timestamps[order[i]];
        System.arraycopy(ids, order[i] * ID_SIZE, sortedIds, i * ID_SIZE, ID_SIZE);
        if (i > 0 && sortedTimes[i] == sortedTimes[i - 1] && Arrays.equals(sortedIds, i * ID_SIZE,
            (i + 1) * ID_SIZE, sortedIds, (i - 1) * ID_SIZE, i * ID_SIZE)) {
          throw new IllegalArgumentException("duplicate record " + Hex.encode(Arrays.copyOfRange(sortedIds,
              i * ID_SIZE, (i + 1) * ID_SIZE)));
        }
      }
      return new Storage(sortedTimes, sortedIds);
    }
  }
}
