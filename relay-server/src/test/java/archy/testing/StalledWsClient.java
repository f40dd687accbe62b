package archy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket that sends what it is told and never reads: the slow consumer.
 * Its receive buffer is made small so the relay's output backs up after a few kilobytes, not megabytes.
 */
public final class StalledWsClient implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;

  private StalledWsClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Connects, completes the upgrade (reading only the 101 response), and from then on reads nothing. */
  public static StalledWsClient connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("connection closed during the upgrade: " + head);
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + head);
    return new StalledWsClient(socket);
  }

  /** Sends one masked text frame (RFC 6455 §5.2). */
  public void sendText(String text) throws IOException {
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
    out.write(frame);
    out.flush();
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
