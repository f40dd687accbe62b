package archy.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.testing.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slowloris: header lines trickling in, each in time for the idle timeout, must not hold a connection. */
class HeaderDeadlineTest {
  @TempDir Path dir;

  @Test
  void aRequestHeadThatNeverEndsIsCutOffAtTheDeadline() throws Exception {
    try (TestNode node = TestNode.start(dir, "[server]\nheader_timeout_seconds = 2\n");
         Socket socket = new Socket("127.0.0.1", node.port)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(500);
      out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      long started = System.nanoTime();
      boolean closed = false;
      // One header line every half second: well inside the 30 s idle timeout, forever, unless cut off.
      for (int i = 0; i < 60 && !closed; i++) {
        try {
          out.write(("X-Slow-" + i + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          closed = in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
          // nothing from the server yet
        } catch (IOException reset) {
          closed = true;
        }
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      assertTrue(closed, "the server closed the connection (gave up after " + seconds + " s)");
      assertTrue(seconds >= 2, "not before the deadline: " + seconds + " s");
    }
  }

  @Test
  void aPromptRequestOnAKeptAliveConnectionIsServed() throws Exception {
    try (TestNode node = TestNode.start(dir, "[server]\nheader_timeout_seconds = 1\n");
         Socket socket = new Socket("127.0.0.1", node.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      for (int i = 0; i < 2; i++) {
        out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine(socket.getInputStream());
        assertTrue(status.startsWith("HTTP/1.1 200"), status);
        drainResponse(socket.getInputStream());
        Thread.sleep(2_500); // idle between requests is the idle timeout's business, not the header deadline's
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') line.append((char) b);
    return line.toString().trim();
  }

  private static void drainResponse(InputStream in) throws IOException {
    long length = 0;
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      if (line.toLowerCase().startsWith("content-length:")) length = Long.parseLong(line.substring(15).trim());
    }
    in.readNBytes((int) length);
  }
}
