package archy.negentropy;

import java.util.Arrays;

/**
 * A position in (timestamp, id) order: a range's exclusive upper bound. {@code idPrefix} is 0 to 32 bytes;
 * a shorter prefix sorts before every id it starts.
 */
record Bound(long timestamp, byte[] idPrefix) {
  static final Bound INFINITE = new Bound(Wire.INFINITY, new byte[0]);
  static final Bound ZERO = new Bound(0, new byte[0]);

  static Bound of(long timestamp) {
    return new Bound(timestamp, new byte[0]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bound b && b.timestamp == timestamp && Arrays.equals(b.idPrefix, idPrefix);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(timestamp) * 31 + Arrays.hashCode(idPrefix);
  }
}
