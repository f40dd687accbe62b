package archy.blossom;

/**
 * What a {@code Range} header asks of a blob of known size (RFC 9110 §14): the whole blob, one satisfiable
 * range, or nothing satisfiable (416). Only single byte ranges are served partially; a header with several
 * ranges gets the whole blob (200), which RFC 9110 allows and spares us multipart bodies. A malformed
 * header or another unit is ignored, as the RFC says.
 */
sealed interface ByteRange {
  Whole WHOLE = new Whole();

  record Whole() implements ByteRange {}

  /** Inclusive {@code first} and {@code last}, already clamped to the blob. */
  record Partial(long first, long last) implements ByteRange {
    long length() {
      return last - first + 1;
    }
  }

  record Unsatisfiable() implements ByteRange {}

  static ByteRange parse(String header, long size) {
    if (header == null) return WHOLE;
    String h = header.strip();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return WHOLE;
    String spec = h.substring(6).strip();
    if (spec.indexOf(',') >= 0) return WHOLE;
    int dash = spec.indexOf('-');
    if (dash < 0) return WHOLE;
    String a = spec.substring(0, dash).strip();
    String b = spec.substring(dash + 1).strip();
    try {
      if (a.isEmpty()) {
        // Suffix: the last N bytes (players probe an MP4's moov atom this way).
        if (b.isEmpty()) return WHOLE;
        long n = digits(b);
        if (n == 0 || size == 0) return new Unsatisfiable();
        return new Partial(Math.max(0, size - n), size - 1);
      }
      long first = digits(a);
      Long last = b.isEmpty() ? null : digits(b);
      if (last != null && last < first) return WHOLE;
      if (first >= size) return new Unsatisfiable();
      return new Partial(first, last == null ? size - 1 : Math.min(last, size - 1));
    } catch (NumberFormatException e) {
      return WHOLE;
    }
  }

  /** Only ASCII digits: {@code Long.parseLong} would also take a sign. */
  private static long digits(String s) {
    if (s.isEmpty()) throw new NumberFormatException();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') throw new NumberFormatException();
    }
    return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
  }
}
