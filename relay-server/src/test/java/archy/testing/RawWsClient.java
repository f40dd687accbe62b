package archy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, byte by byte under the test's control: it reads only when asked
 * (left unread, it is the slow consumer; its receive buffer is small so the relay's output backs up after
 * a few kilobytes), and it can send frames in the same write as its upgrade request.
 */
public final class RawWsClient implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  private RawWsClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
  }

  /** Connects and completes the upgrade, reading only the 101 response. */
  public static RawWsClient connect(int port) throws IOException {
    return connect(port, List.of());
  }

  /** As {@link #connect(int)}, with {@code pipelined} text frames sent in one write with the upgrade request. */
  public static RawWsClient connect(int port, List<String> pipelined) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    first.writeBytes(request.getBytes(StandardCharsets.US_ASCII));
    for (String text : pipelined) first.writeBytes(frame(text));
    socket.getOutputStream().write(first.toByteArray());
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("connection closed during the upgrade: " + head);
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + head);
    return new RawWsClient(socket);
  }

  public void sendText(String text) throws IOException {
    out.write(frame(text));
    out.flush();
  }

  /** The next text frame from the server (unmasked, unfragmented: what the relay sends). */
  public String readText() throws IOException {
    while (true) {
      int b0 = in.read();
      int b1 = in.read();
      if (b0 < 0 || b1 < 0) throw new IOException("connection closed");
      long length = b1 & 0x7f;
      if (length == 126) length = (in.read() << 8) | in.read();
      else if (length == 127) length = ByteBuffer.wrap(in.readNBytes(8)).getLong();
      byte[] payload = in.readNBytes((int) length);
      int opcode = b0 & 0x0f;
      if (opcode == 1) return new String(payload, StandardCharsets.UTF_8);
      if (opcode == 8) throw new IOException("closed by the server");
    }
  }

  /** One masked text frame (RFC 6455 §5.2). */
  private static byte[] frame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    int length = payload.length;
    byte[] header = length < 126 ? new byte[] {(byte) 0x81, (byte) (0x80 | length)}
        : new byte[] {(byte) 0x81, (byte) (0x80 | 126), (byte) (length >> 8), (byte) length};
    if (length > 0xffff) throw new IllegalArgumentException("frame too long for this client");
    byte[] frame = new byte[header.length + 4 + length];
    System.arraycopy(header, 0, frame, 0, header.length);
    System.arraycopy(mask, 0, frame, header.length, 4);
    for (int i = 0; i < length; i++) frame[header.length + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
    return frame;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
