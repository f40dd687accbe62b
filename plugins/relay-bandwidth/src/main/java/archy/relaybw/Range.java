package archy.relaybw;

import archy.io.BlockInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes {@code [offset, offset + length)} of a blob's stream for one relay answer, remembering whether reading
 * failed: a failure on the relay's side (a blob arriving from upstream whose hash failed, a source that broke off,
 * the store) is what decides that the requester is not charged, unlike a requester that stops reading.
 */
final class Range extends BlockInputStream {
  private final InputStream in;
  private long skip;
  private long left;
  private final boolean toEnd;
  private volatile String failure;

  /** @param toEnd the range reaches the end of {@code in}, which must then end right after it */
  Range(InputStream in, long skip, long length, boolean toEnd) {
    this.in = in;
    this.skip = skip;
    this.left = length;
    this.toEnd = toEnd;
  }

  boolean failed() {
    return failure != null;
  }

  String failure() {
    return failure;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      if (skip > 0) {
        in.skipNBytes(skip);
        skip = 0;
      }
      // A range to the blob's end reads on to the stream's end: that is where an arriving blob's hashes are checked.
      if (left == 0) {
        if (!toEnd || in.read(b, off, Math.min(len, 1)) < 0) return -1;
        return fail("more bytes than the blob's size");
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) return fail("the blob ended " + left + " bytes short");
      left -= n;
      return n;
    } catch (IOException e) {
      failure = e.getMessage() == null ? e.toString() : e.getMessage();
      throw e;
    }
  }

  private int fail(String why) throws IOException {
    failure = why;
    throw new IOException(why);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
