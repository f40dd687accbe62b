package archy.negentropy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The byte-level pieces of a negentropy v1 message: varints, and bounds whose timestamps are delta-encoded
 * against the previous bound of the same message (so a reader and a writer each keep their own "last").
 */
final class Wire {
  /** The "infinity" timestamp of the protocol (2^64-1 on the wire); Nostr timestamps never reach it. */
  static final long INFINITY = Long.MAX_VALUE;

  private Wire() {}

  /** Reads one message; every malformed input ends in {@link NegentropyException}, never an index error. */
  static final class Reader {
    private final byte[] buf;
    private int pos;
    private long lastTimestamp;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    boolean hasMore() {
      return pos < buf.length;
    }

    int readByte() {
      if (pos >= buf.length) throw new NegentropyException("message ends prematurely");
      return buf[pos++] & 0xff;
    }

    byte[] readBytes(int n) {
      if (n < 0 || buf.length - pos < n) throw new NegentropyException("message ends prematurely");
      byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return out;
    }

    /** Base-128, most significant digit first; values past 2^63-1 are refused rather than wrapped. */
    long readVarint() {
      long value = 0;
      while (true) {
        int b = readByte();
        if ((value >>> 56) != 0) throw new NegentropyException("varint too large");
        value = (value << 7) | (b & 0x7f);
        if ((b & 0x80) == 0) return value;
      }
    }

    int readSmallVarint(String what, int max) {
      long v = readVarint();
      if (v > max) throw new NegentropyException(what + " too large: " + v);
      return (int) v;
    }

    Bound readBound() {
      long encoded = readVarint();
      long timestamp;
      if (encoded == 0 || lastTimestamp == INFINITY) {
        timestamp = INFINITY;
      } else {
        timestamp = lastTimestamp + (encoded - 1);
        if (timestamp < lastTimestamp || timestamp == INFINITY) throw new NegentropyException("timestamp overflows");
      }
      lastTimestamp = timestamp;
      int length = readSmallVarint("bound id prefix", Storage.ID_SIZE);
      return new Bound(timestamp, readBytes(length));
    }
  }

  /** Builds one message (or one range of it, appended to the message later). */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Writer timestamps;

    /** A writer keeping its own timestamp delta state. */
    Writer() {
      this.timestamps = null;
    }

    /** A scratch writer for one range whose timestamp deltas continue {@code message}'s. */
    Writer(Writer message) {
      this.timestamps = message.timestamps != null ? message.timestamps : message;
    }

    private long lastTimestamp;

    int size() {
      return out.size();
    }

    void writeByte(int b) {
      out.write(b);
    }

    void writeBytes(byte[] b) {
      out.writeBytes(b);
    }

    void writeBytes(byte[] b, int offset, int length) {
      out.write(b, offset, length);
    }

    void writeVarint(long n) {
      if (n < 0) throw new IllegalArgumentException("negative varint");
      byte[] digits = new byte[10];
      int i = digits.length;
      do {
        digits[--i] = (byte) (n & 0x7f);
        n >>>= 7;
      } while (n != 0);
      for (int j = i; j < digits.length - 1; j++) digits[j] |= (byte) 0x80;
      out.write(digits, i, digits.length - i);
    }

    void writeBound(Bound bound) {
      Writer state = timestamps != null ? timestamps : this;
      if (bound.timestamp() == INFINITY) {
        state.lastTimestamp = INFINITY;
        writeVarint(0);
      } else {
        writeVarint(bound.timestamp() - state.lastTimestamp + 1);
        state.lastTimestamp = bound.timestamp();
      }
      writeVarint(bound.idPrefix().length);
      writeBytes(bound.idPrefix());
    }

    void append(Writer range) {
      out.writeBytes(range.out.toByteArray());
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
