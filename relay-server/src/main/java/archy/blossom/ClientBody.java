package archy.blossom;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body whose read failures (the client closed or reset the connection mid-body, Jetty's
 * "early EOF") are told apart from our own I/O failures (a full disk), so that the first are answered as
 * the client's error (400) and the second as ours (500).
 */
final class ClientBody extends FilterInputStream {
  /** Reading the body failed: the client's side of the connection, not our storage. */
  static final class Failed extends IOException {
    Failed(IOException cause) {
      super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
    }
  }

  ClientBody(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      throw new Failed(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException e) {
      throw new Failed(e);
    }
  }
}
