package archy.blossom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.TestNode;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A client that stops sending halfway through its body gets a 400 that says so, and the log one line. */
class TruncatedUploadTest {
  @TempDir Path dir;

  @Test
  void aBodyShorterThanItsContentLengthIs400WithAReasonAndOneLogLine() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    try (TestNode node = TestNode.start(dir, ""); Socket socket = new Socket("127.0.0.1", node.port)) {
      root.addAppender(logged);
      socket.setSoTimeout(15_000);
      String auth = BlossomCalls.header(BlossomCalls.token(Keys.generate(), "upload", List.of()));
      OutputStream out = socket.getOutputStream();
      out.write(("PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + auth
          + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[40_000]);
      out.flush();
      socket.shutdownOutput(); // the body ends early; we can still read the answer
      String head = readHead(socket.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 400"), head);
      assertTrue(head.contains("X-Reason: the body ended after 40000 of its 100000 bytes"), head);
    } finally {
      root.detachAppender(logged);
    }
    List<ILoggingEvent> aboutIt = logged.list.stream()
        .filter(e -> e.getLoggerName().startsWith("archy.blossom") || e.getThrowableProxy() != null).toList();
    assertEquals(1, aboutIt.size(), aboutIt.toString());
    assertEquals(null, aboutIt.get(0).getThrowableProxy(), "no stack trace");
    try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
      assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "the partial file is gone");
    }
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    int b;
    while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) head.append((char) b);
    return head.toString();
  }
}
