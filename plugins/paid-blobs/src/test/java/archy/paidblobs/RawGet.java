package archy.paidblobs;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A GET over a plain socket on 127.0.0.1, for what an HTTP client library hides: a small receive buffer, so a
 * body cannot finish before the test reads it (slow clients in flight together), and a reset in the middle of a
 * body (a client that leaves mid-download). One request per connection.
 */
final class RawGet implements AutoCloseable {
  private static final int RECEIVE_BUFFER = 16 << 10;

  private final Socket socket;
  private final InputStream in;
  int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  long received;

  private RawGet(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 8192);
  }

  /** Sends the request (headers as name, value pairs) and returns before reading anything. */
  static RawGet send(String baseUrl, String path, String... headers) throws IOException {
    URI base = URI.create(baseUrl);
    Socket s = new Socket();
    s.setReceiveBufferSize(RECEIVE_BUFFER);
    s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
    s.setSoTimeout(60_000);
    StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + base.getAuthority()
        + "\r\nConnection: close\r\n");
    for (int i = 0; i < headers.length; i += 2) req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return new RawGet(s);
  }

  /** Reads the status line and headers. */
  RawGet head() throws IOException {
    String line = line();
    status = Integer.parseInt(line.split(" ")[1]);
    for (String h; !(h = line()).isEmpty(); ) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    return this;
  }

  String header(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
  }

  long contentLength() {
    return Long.parseLong(header("content-length"));
  }

  /** Reads up to {@code limit} body bytes (fewer at the end of the body); returns how many came. */
  long read(long limit) throws IOException {
    byte[] buf = new byte[64 << 10];
    long got = 0;
    while (got < limit) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, limit - got));
      if (n < 0) break;
      got += n;
    }
    received += got;
    return got;
  }

  /** Leaves with a TCP reset, as a player that seeks away does. */
  void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) throw new IOException("connection closed inside the headers");
      if (c != '\r') b.write(c);
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
